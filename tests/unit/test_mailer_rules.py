"""The mailer's decisions without AWS: what is due, what may go out, claims, leases and retries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from orders_api.api.schedule import scheduled_time
from orders_api.app.mailer import Summary
from orders_api.domain import mail_state as outbox
from orders_api.domain.mail_rules import LEASE, MAX_ATTEMPTS, Tally, backoff, plan, settle
from orders_api.domain.mail_state import Attempts, Claim, MailState, StatusEmail
from orders_api.domain.models import Customer, Invitation, Item, Order
from orders_api.domain.status import Status

SEND_AT = datetime(2026, 6, 8, 8, tzinfo=UTC)
REMIND_AT = datetime(2026, 6, 15, 8, tzinfo=UTC)
CREATED = datetime(2026, 6, 1, tzinfo=UTC)
TOKEN = "run-token"


def order(
    state: str | None = "scheduled",
    *,
    status: Status = "placed",
    deleted: bool = False,
    email: str | None = "jane@example.com",
    opt_out: bool = False,
    reviewable: bool = True,
    **invitation: Any,
) -> Order:
    return Order(
        id="O1",
        status=status,
        deleted=deleted,
        customer=Customer(id="C1", email=email, opt_out=opt_out),
        items=[
            Item(
                id="I1",
                name="Shoe",
                reviewable=reviewable,
                delivery_date=date(2026, 6, 1),
                created_at=CREATED,
                updated_at=CREATED,
            )
        ],
        invitation=Invitation(state=state, send_at=SEND_AT, reminder_at=REMIND_AT, **invitation),
        created_at=CREATED,
        updated_at=CREATED,
    )


def sent_order(**changes: Any) -> Order:
    return order("sent", sent_at=SEND_AT, **changes)


def status_email(email_id: str = "S1", queued_at: datetime = SEND_AT, **fields: Any) -> StatusEmail:
    return StatusEmail(id=email_id, status="shipped", note="Tracking #1", queued_at=queued_at, **fields)


def claim(at: datetime = SEND_AT, **fields: Any) -> Claim:
    return Claim(token="other-run", claimed_at=at, lease_until=at + LEASE, **fields)


# --- what is due ------------------------------------------------------------------------------


def test_nothing_before_send_at() -> None:
    chosen = plan(order(), MailState(), SEND_AT - timedelta(seconds=1), TOKEN)
    assert (chosen.outgoing, chosen.changed, chosen.busy) == ([], False, False)


def test_the_invitation_at_send_at_is_claimed() -> None:
    chosen = plan(order(), MailState(), SEND_AT, TOKEN)
    assert [o.kind for o in chosen.outgoing] == ["invitation"]
    assert chosen.changed
    assert chosen.mail.claim == Claim(
        token=TOKEN, claimed_at=SEND_AT, lease_until=SEND_AT + LEASE, invitation="invitation"
    )
    assert chosen.order.invitation.state == "scheduled"
    assert outbox.due_at(chosen.order, chosen.mail) == SEND_AT + LEASE


def test_the_reminder_at_reminder_at() -> None:
    assert plan(sent_order(), MailState(), REMIND_AT - timedelta(minutes=1), TOKEN).outgoing == []
    chosen = plan(sent_order(), MailState(), REMIND_AT, TOKEN)
    assert [o.kind for o in chosen.outgoing] == ["reminder"]
    assert chosen.mail.claim is not None
    assert chosen.mail.claim.invitation == "reminder"


@pytest.mark.parametrize("state", ["reminded", "canceled", "not_eligible", "failed", None])
def test_nothing_to_send_in_other_states(state: str | None) -> None:
    chosen = plan(order(state), MailState(), REMIND_AT + timedelta(days=1), TOKEN)
    assert (chosen.outgoing, chosen.changed) == ([], False)


def test_a_sent_invitation_without_reminder_is_done() -> None:
    done = sent_order().model_copy(
        update={"invitation": sent_order().invitation.model_copy(update={"reminder_at": None})}
    )
    assert plan(done, MailState(), REMIND_AT, TOKEN).outgoing == []


# --- the send rules at send time --------------------------------------------------------------

RULES = [
    # id, order changes, state, reason
    ("opted-out", {"opt_out": True}, "canceled", "opted_out"),
    ("deleted", {"deleted": True}, "canceled", "deleted"),
    ("canceled", {"status": "canceled"}, "canceled", "canceled"),
    ("returned", {"status": "returned"}, "canceled", "canceled"),
    ("no-email", {"email": None}, "not_eligible", "no_email"),
    ("no-reviewable-items", {"reviewable": False}, "not_eligible", "no_reviewable_items"),
]


@pytest.mark.parametrize(("changes", "state", "reason"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_an_invitation_that_may_not_go_is_recorded_with_its_reason(
    changes: dict[str, Any], state: str, reason: str
) -> None:
    chosen = plan(order(**changes), MailState(), SEND_AT, TOKEN)
    assert chosen.outgoing == []
    assert chosen.mail.claim is None
    assert (chosen.order.invitation.state, chosen.order.invitation.reason) == (state, reason)
    assert (chosen.changed, chosen.tally.skipped, chosen.skipped) == (True, 1, [("invitation", reason)])
    assert outbox.due_at(chosen.order, chosen.mail) is None


@pytest.mark.parametrize(("changes", "state", "reason"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_a_reminder_that_may_not_go_keeps_the_sent_invitation(
    changes: dict[str, Any], state: str, reason: str
) -> None:
    chosen = plan(sent_order(**changes), MailState(), REMIND_AT, TOKEN)
    assert chosen.outgoing == []
    invitation = chosen.order.invitation
    assert (invitation.state, invitation.reason, invitation.sent_at) == (state, reason, SEND_AT)


def test_an_invitation_more_than_30_days_late_expires() -> None:
    assert plan(order(), MailState(), SEND_AT + timedelta(days=30), TOKEN).outgoing
    chosen = plan(order(), MailState(), SEND_AT + timedelta(days=30, seconds=1), TOKEN)
    assert (chosen.order.invitation.state, chosen.order.invitation.reason) == ("not_eligible", "expired")


# --- status emails ------------------------------------------------------------------------------


def test_status_emails_are_transactional() -> None:
    mail = MailState(status_emails=[status_email("S1"), status_email("S2", SEND_AT + timedelta(hours=1))])
    chosen = plan(order(None, opt_out=True, status="canceled"), mail, SEND_AT, TOKEN)
    assert [o.label for o in chosen.outgoing] == ["status:S1"]
    assert chosen.mail.claim is not None
    assert (chosen.mail.claim.invitation, chosen.mail.claim.status_ids) == (None, ["S1"])
    assert [e.id for e in chosen.mail.status_emails] == ["S1", "S2"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"deleted": True}, "deleted"), ({"email": None}, "no_email")],
    ids=["deleted", "no-email"],
)
def test_status_emails_of_deleted_orders_or_without_address_are_dropped(
    changes: dict[str, Any], reason: str
) -> None:
    chosen = plan(order(None, **changes), MailState(status_emails=[status_email()]), SEND_AT, TOKEN)
    assert (chosen.outgoing, chosen.mail.status_emails) == ([], [])
    assert chosen.skipped == [("status:S1", reason)]


def test_invitation_and_status_email_are_claimed_together() -> None:
    chosen = plan(order(), MailState(status_emails=[status_email()]), SEND_AT, TOKEN)
    assert [o.label for o in chosen.outgoing] == ["invitation", "status:S1"]


# --- claims and leases --------------------------------------------------------------------------


def test_a_live_claim_makes_the_order_busy() -> None:
    mail = MailState(claim=claim(invitation="invitation"))
    chosen = plan(order(), mail, SEND_AT + LEASE - timedelta(seconds=1), TOKEN)
    assert (chosen.busy, chosen.changed, chosen.outgoing) == (True, False, [])


def test_a_lapsed_claim_counts_as_sent_and_is_never_sent_again() -> None:
    mail = MailState(status_emails=[status_email()], claim=claim(invitation="invitation", status_ids=["S1"]))
    chosen = plan(order(), mail, SEND_AT + LEASE, TOKEN)
    assert chosen.outgoing == []
    assert chosen.changed
    assert chosen.tally.unconfirmed == 2
    invitation = chosen.order.invitation
    assert (invitation.state, invitation.sent_at) == ("sent", SEND_AT)
    assert chosen.mail == MailState()
    assert outbox.due_at(chosen.order, chosen.mail) == REMIND_AT


def test_a_lapsed_claim_is_settled_before_new_work_is_claimed() -> None:
    mail = MailState(claim=claim(REMIND_AT, invitation="reminder"))
    chosen = plan(sent_order(), mail, REMIND_AT + LEASE, TOKEN)
    assert chosen.order.invitation.state == "reminded"
    assert chosen.outgoing == []


# --- settling the outcome -----------------------------------------------------------------------


def _claimed(current: Order, mail: MailState, now: datetime = SEND_AT) -> tuple[Order, MailState]:
    chosen = plan(current, mail, now, TOKEN)
    return chosen.order, chosen.mail


def test_a_sent_invitation_is_recorded() -> None:
    current, mail = _claimed(order(), MailState())
    assert mail.claim is not None
    after, settled, tally = settle(current, mail, mail.claim, (), SEND_AT)
    assert (after.invitation.state, after.invitation.sent_at) == ("sent", SEND_AT)
    assert (settled, tally) == (MailState(), Tally(sent=1))
    assert outbox.due_at(after, settled) == REMIND_AT


def test_a_sent_reminder_is_recorded() -> None:
    current, mail = _claimed(sent_order(), MailState(), REMIND_AT)
    assert mail.claim is not None
    after, settled, tally = settle(current, mail, mail.claim, (), REMIND_AT)
    assert (after.invitation.state, after.invitation.reminded_at) == ("reminded", REMIND_AT)
    assert tally == Tally(reminded=1)
    assert outbox.due_at(after, settled) is None


def test_a_sent_status_email_leaves_the_queue_and_others_stay() -> None:
    later = status_email("S2", SEND_AT + timedelta(hours=1))
    current, mail = _claimed(order(None), MailState(status_emails=[status_email(), later]))
    queued = status_email("S3", SEND_AT)
    mail = mail.model_copy(update={"status_emails": [*mail.status_emails, queued]})
    assert mail.claim is not None
    _, settled, tally = settle(current, mail, mail.claim, (), SEND_AT)
    assert ([e.id for e in settled.status_emails], tally) == (["S2", "S3"], Tally(status_sent=1))


def test_failures_back_off_then_fail_after_five_attempts() -> None:
    current, mail, now = order(), MailState(), SEND_AT
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        chosen = plan(current, mail, now, TOKEN)
        assert [o.kind for o in chosen.outgoing] == ["invitation"], attempt
        assert chosen.mail.claim is not None
        current, mail, tally = settle(chosen.order, chosen.mail, chosen.mail.claim, {"invitation"}, now)
        if attempt < MAX_ATTEMPTS:
            assert tally == Tally(retried=1)
            assert mail.attempts == Attempts(
                kind="invitation", count=attempt, retry_at=now + backoff(attempt)
            )
            retry = outbox.due_at(current, mail)
            assert retry == now + backoff(attempt)
            assert plan(current, mail, retry - timedelta(seconds=1), TOKEN).outgoing == []
            waits.append(retry - now)
            now = retry
    assert tally == Tally(failed=1)
    assert (current.invitation.state, current.invitation.reason) == ("failed", "send_failed")
    assert outbox.due_at(current, mail) is None
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40)]


def test_a_status_email_fails_for_good_after_five_attempts() -> None:
    current, mail, now = order(None), MailState(status_emails=[status_email()]), SEND_AT
    for attempt in range(1, MAX_ATTEMPTS + 1):
        chosen = plan(current, mail, now, TOKEN)
        assert chosen.mail.claim is not None
        current, mail, tally = settle(chosen.order, chosen.mail, chosen.mail.claim, {"status:S1"}, now)
        if attempt < MAX_ATTEMPTS:
            assert [(e.attempts, e.retry_at) for e in mail.status_emails] == [
                (attempt, now + backoff(attempt))
            ]
            now = now + backoff(attempt)
    assert (mail.status_emails, tally) == ([], Tally(failed=1))


def test_a_retry_after_success_starts_from_zero() -> None:
    current, mail = _claimed(order(), MailState())
    assert mail.claim is not None
    current, mail, _ = settle(current, mail, mail.claim, {"invitation"}, SEND_AT)
    retry = SEND_AT + backoff(1)
    current, mail = _claimed(current, mail, retry)
    assert mail.claim is not None
    current, mail, tally = settle(current, mail, mail.claim, (), retry)
    assert (current.invitation.sent_at, mail.attempts, tally) == (retry, None, Tally(sent=1))


def test_a_failure_on_an_order_canceled_meanwhile_is_not_retried() -> None:
    current, mail = _claimed(order(), MailState())
    assert mail.claim is not None
    canceled = current.model_copy(
        update={
            "invitation": current.invitation.model_copy(update={"state": "canceled", "reason": "canceled"})
        }
    )
    after, settled, tally = settle(canceled, mail, mail.claim, {"invitation"}, SEND_AT)
    assert (after.invitation.state, settled.attempts, tally) == ("canceled", None, Tally())


def test_an_email_that_went_out_is_recorded_even_if_the_order_changed_meanwhile() -> None:
    current, mail = _claimed(order(), MailState())
    assert mail.claim is not None
    deleted = current.model_copy(
        update={
            "deleted": True,
            "invitation": current.invitation.model_copy(update={"state": "canceled", "reason": "deleted"}),
        }
    )
    after, _, tally = settle(deleted, mail, mail.claim, (), SEND_AT)
    assert (after.invitation.state, after.invitation.sent_at, tally) == ("sent", SEND_AT, Tally(sent=1))


# --- small parts --------------------------------------------------------------------------------


def test_backoff_doubles() -> None:
    assert [backoff(n) for n in range(1, 5)] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]


def test_due_at_waits_for_a_retry() -> None:
    mail = MailState(attempts=Attempts(kind="invitation", count=1, retry_at=SEND_AT + timedelta(minutes=5)))
    assert outbox.due_at(order(), mail) == SEND_AT + timedelta(minutes=5)
    assert outbox.due_at(order(), MailState()) == SEND_AT


def test_mail_state_round_trips_with_its_claim() -> None:
    mail = MailState(status_emails=[status_email()], claim=claim(invitation="invitation", status_ids=["S1"]))
    assert MailState.load(mail.dump()) == mail


SLOT = datetime(2026, 6, 8, 8, 5, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["2026-06-08T08:05:00Z", "2026-06-08T10:05:00+02:00", "2026-06-08T08:05:00"])
def test_the_schedule_time_is_now_before_the_clock_reaches_it(raw: str) -> None:
    assert scheduled_time({"time": raw}, lambda: SLOT - timedelta(hours=1)) == SLOT


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        (SLOT, SLOT),
        (SLOT + timedelta(milliseconds=900), SLOT + timedelta(milliseconds=900)),
        (SLOT + timedelta(minutes=2), SLOT + timedelta(microseconds=999_999)),
    ],
    ids=["at-it", "within-its-second", "late"],
)
def test_a_schedule_time_in_whole_seconds_stands_for_its_whole_second(
    clock: datetime, expected: datetime
) -> None:
    assert scheduled_time({"time": "2026-06-08T08:05:00Z"}, lambda: clock) == expected


def test_a_schedule_time_with_a_fraction_is_taken_as_it_is() -> None:
    event = {"time": "2026-06-08T08:05:00.250000Z"}
    assert scheduled_time(event, lambda: SLOT + timedelta(seconds=1)) == SLOT + timedelta(milliseconds=250)


def test_without_a_time_the_clock_is_now() -> None:
    before = datetime.now(UTC)
    assert before <= scheduled_time({}) <= datetime.now(UTC)


def test_summary_lists_every_count() -> None:
    summary = Summary(time=SEND_AT, due=3, tally=Tally(sent=1, skipped=2))
    assert summary.as_dict() == {
        "time": "2026-06-08T08:00:00.000000Z",
        "due": 3,
        "sent": 1,
        "reminded": 0,
        "status_sent": 0,
        "skipped": 2,
        "failed": 0,
        "retried": 0,
        "unconfirmed": 0,
        "busy": 0,
        "errors": 0,
        "stopped_early": False,
    }
