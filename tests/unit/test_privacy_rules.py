"""The pure rules of deliverability and privacy: the cap and suppression in the mailer's plan, reviewed
items, and what erasure leaves of an order."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from orders_api.domain.invitations import blocker, items_to_review
from orders_api.domain.mail_rules import Plan, plan
from orders_api.domain.mail_state import MailState
from orders_api.domain.models import Customer, Item, Order
from orders_api.domain.privacy import erased_order, no_status_emails, stopped

from tests.unit.test_mailer_rules import CREATED, REMIND_AT, SEND_AT, TOKEN, order, sent_order, status_email

STATES = st.sampled_from([None, "scheduled", "sent", "reminded", "canceled", "not_eligible", "failed"])


def plan_of(
    current: Order,
    *,
    mail: MailState | None = None,
    at: datetime = SEND_AT,
    suppressed: str | None = None,
    capped: bool = False,
) -> Plan:
    return plan(current, mail or MailState(), at, TOKEN, suppressed=suppressed, capped=capped)


def with_items(flags: list[tuple[bool, bool]]) -> Order:
    """An order whose items are (reviewable, reviewed) as given."""
    items = [
        Item(
            id=f"I{n}",
            name="Shoe",
            reviewable=reviewable,
            reviewed=reviewed,
            created_at=CREATED,
            updated_at=CREATED,
        )
        for n, (reviewable, reviewed) in enumerate(flags)
    ]
    return order().model_copy(update={"items": items})


def test_the_cap_stops_an_invitation_but_not_a_reminder() -> None:
    invitation = plan_of(order(), capped=True)
    assert (invitation.outgoing, invitation.skipped) == ([], [("invitation", "capped")])
    assert (invitation.order.invitation.state, invitation.order.invitation.reason) == (
        "not_eligible",
        "capped",
    )
    reminder = plan_of(sent_order(), capped=True, at=REMIND_AT)
    assert [o.kind for o in reminder.outgoing] == ["reminder"]


def test_a_suppressed_address_gets_nothing_not_even_a_status_email() -> None:
    mail = MailState(status_emails=[status_email()])
    chosen = plan_of(order(), mail=mail, suppressed="complained")
    assert chosen.outgoing == []
    assert ("invitation", "complained") in chosen.skipped
    assert chosen.order.invitation.reason == "complained"
    assert chosen.mail.status_emails == []


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=6))
def test_reviewed_items_leave_the_email_and_all_reviewed_ends_it(flags: list[tuple[bool, bool]]) -> None:
    current = with_items(flags)
    left = [item.id for item in items_to_review(current)]
    assert left == [f"I{n}" for n, (reviewable, reviewed) in enumerate(flags) if reviewable and not reviewed]
    stop = blocker(current)
    if not any(reviewable for reviewable, _ in flags):
        assert stop == ("not_eligible", "no_reviewable_items")
    elif not left:
        assert stop == ("canceled", "reviewed")
    else:
        assert stop is None


@given(
    state=STATES,
    name=st.none() | st.text(min_size=1, max_size=20),
    phone=st.none() | st.just("+31 6 1234 5678"),
    opt_out=st.booleans(),
)
def test_erasure_keeps_no_personal_data_and_is_idempotent(
    state: str | None, name: str | None, phone: str | None, opt_out: bool
) -> None:
    before = order(state, sent_at=SEND_AT if state in ("sent", "reminded") else None)
    before = before.model_copy(
        update={
            "customer": Customer(id="C1", email="Jane@Example.com", name=name, phone=phone, opt_out=opt_out)
        }
    )
    now = CREATED + timedelta(days=1)
    after = erased_order(before, now)
    customer = after.customer
    assert (customer.email, customer.name, customer.phone) == (None, None, None)
    assert (customer.id, customer.opt_out, customer.erased) == ("C1", opt_out, True)
    assert (after.id, after.items, after.status) == (before.id, before.items, before.status)
    if state in (None, "scheduled", "sent"):
        assert (after.invitation.state, after.invitation.reason) == ("canceled", "erased")
    else:
        assert after.invitation == before.invitation
    assert erased_order(after, now + timedelta(days=1)) is after


@given(state=STATES)
def test_feedback_ends_only_what_is_pending(state: str | None) -> None:
    before = order(state, sent_at=SEND_AT if state in ("sent", "reminded") else None)
    after = stopped("bounced")(before, CREATED)
    if state in ("scheduled", "sent"):
        assert (after.invitation.state, after.invitation.reason) == ("canceled", "bounced")
    else:
        assert after is before
    mail = MailState(status_emails=[status_email()])
    assert no_status_emails(mail, before, CREATED).status_emails == []
