"""invitations.schedule as tables: every unit, weekends, DST in two zones, the 24-hour rule,
moves after updates, expiry, from=order, canceled and deleted orders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from orders_api.api.problems import from_domain
from orders_api.domain.base_models import Offset
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import Invalid
from orders_api.domain.invitations import blocker, check_reminder_gap, next_due, schedule
from orders_api.domain.models import Customer, Invitation, Item, Order

AMS, NYC = "Europe/Amsterdam", "America/New_York"
CREATED = datetime(2026, 3, 1, 12, tzinfo=UTC)
SETTINGS = ClientSettings(client_id="demo")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def offset(text: str | None) -> Offset | None:
    """'7 days' -> Offset(unit='days', amount=7)."""
    if text is None:
        return None
    amount, unit = text.split()
    return Offset(unit=unit, amount=int(amount))  # type: ignore[arg-type]


def item(item_id: str = "I1", **fields: Any) -> Item:
    fields.setdefault("name", f"Item {item_id}")
    return Item(id=item_id, created_at=CREATED, updated_at=CREATED, **fields)


def order(
    *,
    delivered: date | None = None,
    delay: str = "7 days",
    reminder: str | None = "14 days",
    start: str = "delivery",
    zone: str | None = AMS,
    items: list[Item] | None = None,
    email: str | None = "jane@example.com",
    **fields: Any,
) -> Order:
    invitation = Invitation(delay=offset(delay), reminder=offset(reminder), from_=start)  # type: ignore[arg-type]
    return Order(
        id="O1",
        customer=Customer(id="C1", email=email),
        items=items if items is not None else [item(delivery_date=delivered)],
        invitation=invitation,
        time_zone=zone,
        created_at=fields.pop("created_at", CREATED),
        updated_at=CREATED,
        **fields,
    )


def scheduled(current: Order, now: datetime = CREATED, settings: ClientSettings = SETTINGS) -> Order:
    """The order as the service saves it: with its recomputed invitation."""
    return current.model_copy(update={"invitation": schedule(current, settings, now)})


# --- send_at and reminder_at per unit, weekend and DST ------------------------------------------

# fmt: off
SCHEDULES = [
    # id, delivered, zone, delay, reminder, send_at (UTC), reminder_at (UTC)
    ("minutes", date(2026, 6, 1), AMS, "90 minutes", "1530 minutes", utc(2026, 6, 1, 9, 30), utc(2026, 6, 2, 9, 30)),
    ("hours", date(2026, 6, 1), AMS, "36 hours", "72 hours", utc(2026, 6, 2, 20), utc(2026, 6, 4, 8)),
    ("days", date(2026, 6, 1), AMS, "7 days", "14 days", utc(2026, 6, 8, 8), utc(2026, 6, 15, 8)),
    ("weekdays", date(2026, 6, 1), AMS, "3 weekdays", "8 weekdays", utc(2026, 6, 4, 8), utc(2026, 6, 11, 8)),
    ("zero-days", date(2026, 6, 1), AMS, "0 days", "1 days", utc(2026, 6, 1, 8), utc(2026, 6, 2, 8)),
    ("utc-zone", date(2026, 6, 1), "UTC", "1 days", "2 days", utc(2026, 6, 2, 10), utc(2026, 6, 3, 10)),
    ("nyc-summer", date(2026, 6, 1), NYC, "2 days", "5 days", utc(2026, 6, 3, 14), utc(2026, 6, 6, 14)),
    # Weekends: weekdays skip them and a weekend base first moves to Monday; days do not.
    ("weekdays-from-fri", date(2026, 6, 5), AMS, "1 weekdays", "2 weekdays", utc(2026, 6, 8, 8), utc(2026, 6, 9, 8)),
    ("weekdays-from-sat", date(2026, 6, 6), AMS, "1 weekdays", "5 weekdays", utc(2026, 6, 9, 8), utc(2026, 6, 15, 8)),
    ("weekdays-0-on-sun", date(2026, 6, 7), AMS, "0 weekdays", "1 weekdays", utc(2026, 6, 8, 8), utc(2026, 6, 9, 8)),
    ("days-over-weekend", date(2026, 6, 5), AMS, "1 days", "2 days", utc(2026, 6, 6, 8), utc(2026, 6, 7, 8)),
    ("weekdays-2-weeks", date(2026, 6, 3), NYC, "10 weekdays", "15 weekdays", utc(2026, 6, 17, 14), utc(2026, 6, 24, 14)),
    # DST, Amsterdam: spring forward 2026-03-29, fall back 2026-10-25.
    ("ams-spring-days", date(2026, 3, 27), AMS, "7 days", "8 days", utc(2026, 4, 3, 8), utc(2026, 4, 4, 8)),
    ("ams-spring-hours", date(2026, 3, 27), AMS, "168 hours", "192 hours", utc(2026, 4, 3, 9), utc(2026, 4, 4, 9)),
    ("ams-spring-weekdays", date(2026, 3, 27), AMS, "1 weekdays", "2 weekdays", utc(2026, 3, 30, 8), utc(2026, 3, 31, 8)),
    ("ams-fall-days", date(2026, 10, 23), AMS, "7 days", "14 days", utc(2026, 10, 30, 9), utc(2026, 11, 6, 9)),
    ("ams-fall-minutes", date(2026, 10, 24), AMS, "1440 minutes", "2880 minutes", utc(2026, 10, 25, 8), utc(2026, 10, 26, 8)),
    # DST, New York: spring forward 2026-03-08, fall back 2026-11-01.
    ("nyc-spring-days", date(2026, 3, 6), NYC, "3 days", "4 days", utc(2026, 3, 9, 14), utc(2026, 3, 10, 14)),
    ("nyc-spring-hours", date(2026, 3, 6), NYC, "72 hours", "96 hours", utc(2026, 3, 9, 15), utc(2026, 3, 10, 15)),
    ("nyc-fall-weekdays", date(2026, 10, 30), NYC, "2 weekdays", "3 weekdays", utc(2026, 11, 3, 15), utc(2026, 11, 4, 15)),
    ("nyc-fall-days", date(2026, 10, 31), NYC, "1 days", "2 days", utc(2026, 11, 1, 15), utc(2026, 11, 2, 15)),
]
# fmt: on


@pytest.mark.parametrize(
    ("delivered", "zone", "delay", "reminder", "send_at", "reminder_at"),
    [case[1:] for case in SCHEDULES],
    ids=[case[0] for case in SCHEDULES],
)
def test_send_and_reminder_times(
    delivered: date, zone: str, delay: str, reminder: str, send_at: datetime, reminder_at: datetime
) -> None:
    now = datetime.combine(delivered, time(), UTC)
    invitation = schedule(
        order(delivered=delivered, zone=zone, delay=delay, reminder=reminder), SETTINGS, now
    )
    assert (invitation.state, invitation.reason) == ("scheduled", None)
    assert invitation.send_at == send_at
    assert invitation.reminder_at == reminder_at


def test_the_latest_delivery_date_of_a_reviewable_item_is_the_base() -> None:
    items = [
        item("A", delivery_date=date(2026, 6, 1)),
        item("B", delivery_date=date(2026, 6, 3)),
        item("C", delivery_date=date(2026, 6, 20), reviewable=False),
        item("D", delivery_date=date(2026, 6, 21), deleted=True),
        item("E", delivery_date=date(2026, 6, 22), name=None),
    ]
    invitation = schedule(order(items=items, delay="1 days"), SETTINGS, utc(2026, 6, 1))
    assert invitation.send_at == utc(2026, 6, 4, 8)


def test_client_send_time_and_default_zone() -> None:
    settings = ClientSettings(client_id="demo", send_time=time(9, 30), time_zone=NYC)
    invitation = schedule(
        order(delivered=date(2026, 6, 1), zone=None, delay="1 days"), settings, utc(2026, 6, 1)
    )
    assert invitation.send_at == utc(2026, 6, 2, 13, 30)


def test_no_reminder() -> None:
    invitation = schedule(order(delivered=date(2026, 6, 1), reminder=None), SETTINGS, utc(2026, 6, 1))
    assert invitation.state == "scheduled"
    assert invitation.reminder_at is None


# --- from=order ---------------------------------------------------------------------------------

FROM_ORDER = [
    ("exact-minutes", "120 minutes", utc(2026, 3, 28, 14)),
    ("days-over-dst", "1 days", utc(2026, 3, 29, 11)),
    ("weekdays-from-saturday", "0 weekdays", utc(2026, 3, 30, 11)),
]


@pytest.mark.parametrize(("delay", "send_at"), [c[1:] for c in FROM_ORDER], ids=[c[0] for c in FROM_ORDER])
def test_from_order_counts_from_creation_without_delivery(delay: str, send_at: datetime) -> None:
    created = utc(2026, 3, 28, 12)
    current = order(start="order", delay=delay, reminder=None, items=[item()], created_at=created)
    invitation = schedule(current, SETTINGS, created)
    assert (invitation.state, invitation.send_at) == ("scheduled", send_at)


# --- what is not (yet) scheduled ----------------------------------------------------------------

NOT_SCHEDULED = [
    # id, order changes, state, reason, has times
    ("not-delivered", {"items": [item()]}, None, None, False),
    ("no-items", {"items": []}, None, None, False),
    ("no-email", {"email": None}, "not_eligible", "no_email", True),
    ("opted-out", {"customer_opt_out": True}, "canceled", "opted_out", True),
    (
        "nothing-reviewable",
        {"items": [item(delivery_date=date(2026, 6, 1), reviewable=False)]},
        "not_eligible",
        "no_reviewable_items",
        False,
    ),
    (
        "only-unnamed-items",
        {"items": [item(delivery_date=date(2026, 6, 1), name=None)]},
        "not_eligible",
        "no_reviewable_items",
        False,
    ),
    ("from-order-no-items", {"start": "order", "items": []}, "not_eligible", "no_reviewable_items", False),
]


@pytest.mark.parametrize(
    ("changes", "state", "reason", "has_times"),
    [c[1:] for c in NOT_SCHEDULED],
    ids=[c[0] for c in NOT_SCHEDULED],
)
def test_not_scheduled(
    changes: dict[str, Any], state: str | None, reason: str | None, has_times: bool
) -> None:
    changes = dict(changes)
    opt_out = changes.pop("customer_opt_out", False)
    current = order(delivered=date(2026, 6, 1), **changes)
    current = current.model_copy(
        update={"customer": current.customer.model_copy(update={"opt_out": opt_out})}
    )
    invitation = schedule(current, SETTINGS, utc(2026, 6, 1))
    assert (invitation.state, invitation.reason) == (state, reason)
    assert (invitation.send_at is not None) == has_times
    assert next_due(invitation) is None


# --- expiry -------------------------------------------------------------------------------------

EXPIRY = [
    ("just-due", timedelta(0), "scheduled", None),
    ("thirty-days-late", timedelta(days=30), "scheduled", None),
    ("thirty-days-and-a-minute-late", timedelta(days=30, minutes=1), "not_eligible", "expired"),
    ("a-year-late", timedelta(days=365), "not_eligible", "expired"),
]


@pytest.mark.parametrize(("late", "state", "reason"), [c[1:] for c in EXPIRY], ids=[c[0] for c in EXPIRY])
def test_expired_when_scheduled_more_than_30_days_late(
    late: timedelta, state: str, reason: str | None
) -> None:
    current = order(delivered=date(2026, 6, 1), delay="1 days")
    invitation = schedule(current, SETTINGS, utc(2026, 6, 2, 8) + late)
    assert (invitation.state, invitation.reason) == (state, reason)
    assert invitation.send_at == utc(2026, 6, 2, 8)


# --- moves after updates ------------------------------------------------------------------------


def test_a_later_delivery_date_moves_an_unsent_invitation() -> None:
    first = scheduled(order(delivered=date(2026, 6, 1)))
    assert first.invitation.send_at == utc(2026, 6, 8, 8)
    moved = first.model_copy(update={"items": [*first.items, item("I2", delivery_date=date(2026, 6, 10))]})
    invitation = schedule(moved, SETTINGS, utc(2026, 6, 2))
    assert (invitation.send_at, invitation.reminder_at) == (utc(2026, 6, 17, 8), utc(2026, 6, 24, 8))


def test_a_new_invitation_object_moves_an_unsent_invitation() -> None:
    first = scheduled(order(delivered=date(2026, 6, 1)))
    changed = first.model_copy(
        update={
            "invitation": first.invitation.model_copy(
                update={"delay": offset("2 weekdays"), "reminder": None}
            )
        }
    )
    invitation = schedule(changed, SETTINGS, utc(2026, 6, 2))
    assert (invitation.state, invitation.send_at, invitation.reminder_at) == (
        "scheduled",
        utc(2026, 6, 3, 8),
        None,
    )


def test_deleting_the_dated_item_unschedules() -> None:
    first = scheduled(order(items=[item("A"), item("B", delivery_date=date(2026, 6, 1))]))
    assert first.invitation.state == "scheduled"
    gone = first.model_copy(
        update={"items": [first.items[0], first.items[1].model_copy(update={"deleted": True})]}
    )
    invitation = schedule(gone, SETTINGS, utc(2026, 6, 2))
    assert (invitation.state, invitation.send_at) == (None, None)


def test_adding_an_email_schedules_what_was_not_eligible() -> None:
    first = scheduled(order(delivered=date(2026, 6, 1), email=None))
    assert first.invitation.reason == "no_email"
    fixed = first.model_copy(
        update={"customer": first.customer.model_copy(update={"email": "jane@example.com"})}
    )
    assert schedule(fixed, SETTINGS, utc(2026, 6, 2)).state == "scheduled"


def test_a_sent_invitation_never_moves_and_keeps_its_reminder() -> None:
    first = scheduled(order(delivered=date(2026, 6, 1)))
    sent = first.model_copy(
        update={
            "invitation": first.invitation.model_copy(update={"state": "sent", "sent_at": utc(2026, 6, 8, 8)})
        }
    )
    later = sent.model_copy(update={"items": [*sent.items, item("I2", delivery_date=date(2026, 7, 1))]})
    assert schedule(later, SETTINGS, utc(2026, 6, 9)) == sent.invitation


# --- canceled, returned, deleted ----------------------------------------------------------------


def _sent(current: Order, **extra: Any) -> Order:
    invitation = current.invitation.model_copy(
        update={"state": "sent", "sent_at": utc(2026, 6, 8, 8), **extra}
    )
    return current.model_copy(update={"invitation": invitation})


STOPS = [
    # id, stage, changes, state, reason
    ("canceled-before-sending", "scheduled", {"status": "canceled"}, "canceled", "canceled"),
    ("returned-before-sending", "scheduled", {"status": "returned"}, "canceled", "canceled"),
    ("deleted-before-sending", "scheduled", {"deleted": True}, "canceled", "deleted"),
    ("canceled-before-scheduling", "undelivered", {"status": "canceled"}, None, None),
    ("returned-after-sending", "sent", {"status": "returned"}, "canceled", "canceled"),
    ("deleted-after-sending", "sent", {"deleted": True}, "canceled", "deleted"),
    ("canceled-after-sending-without-reminder", "sent-no-reminder", {"status": "canceled"}, "sent", None),
    ("returned-after-reminding", "reminded", {"status": "returned"}, "reminded", None),
]


@pytest.mark.parametrize(
    ("stage", "changes", "state", "reason"), [c[1:] for c in STOPS], ids=[c[0] for c in STOPS]
)
def test_canceled_returned_and_deleted_orders(
    stage: str, changes: dict[str, Any], state: str | None, reason: str | None
) -> None:
    current = {
        "scheduled": scheduled(order(delivered=date(2026, 6, 1))),
        "undelivered": scheduled(order(items=[item()])),
        "sent": _sent(scheduled(order(delivered=date(2026, 6, 1)))),
        "sent-no-reminder": _sent(scheduled(order(delivered=date(2026, 6, 1), reminder=None))),
        "reminded": _sent(
            scheduled(order(delivered=date(2026, 6, 1))), state="reminded", reminded_at=utc(2026, 6, 15, 8)
        ),
    }[stage]
    invitation = schedule(current.model_copy(update=changes), SETTINGS, utc(2026, 6, 9))
    assert (invitation.state, invitation.reason) == (state, reason)
    assert invitation.sent_at == current.invitation.sent_at
    assert next_due(invitation) is None or state == "sent"


def test_a_canceled_order_stays_canceled_after_later_changes() -> None:
    canceled = scheduled(
        scheduled(order(delivered=date(2026, 6, 1))).model_copy(update={"status": "canceled"})
    )
    assert canceled.invitation.reason == "canceled"
    later = canceled.model_copy(
        update={"items": [*canceled.items, item("I2", delivery_date=date(2026, 6, 3))]}
    )
    assert schedule(later, SETTINGS, utc(2026, 6, 2)).reason == "canceled"


def test_final_states_never_change() -> None:
    for state in ("reminded", "failed"):
        current = scheduled(order(delivered=date(2026, 6, 1)))
        final = current.model_copy(
            update={"invitation": current.invitation.model_copy(update={"state": state})}
        )
        assert (
            schedule(final.model_copy(update={"deleted": True}), SETTINGS, utc(2026, 6, 2))
            == final.invitation
        )


# --- the 24-hour rule ---------------------------------------------------------------------------

GAPS = [
    # id, delivered (None: not yet), zone, delay, reminder, allowed
    ("days-a-week-apart", date(2026, 6, 1), AMS, "7 days", "14 days", True),
    ("same-time", date(2026, 6, 1), AMS, "7 days", "7 days", False),
    ("exactly-24-hours", date(2026, 6, 1), AMS, "24 hours", "48 hours", True),
    ("23-hours", date(2026, 6, 1), AMS, "1 hours", "24 hours", False),
    ("mixed-units", date(2026, 6, 1), AMS, "23 hours", "1 days", False),
    ("reminder-before-invitation", date(2026, 6, 1), AMS, "3 days", "1 days", False),
    ("one-day-over-spring-forward", date(2026, 3, 28), AMS, "0 days", "1 days", False),
    ("one-day-over-fall-back", date(2026, 10, 24), AMS, "0 days", "1 days", True),
    ("nyc-one-day-over-spring-forward", date(2026, 3, 7), NYC, "0 days", "1 days", False),
    ("hours-against-days-over-fall-back", date(2026, 10, 31), NYC, "24 hours", "1 days", False),
    ("weekdays-over-a-weekend", date(2026, 6, 5), AMS, "0 weekdays", "1 weekdays", True),
    ("weekday-vs-day-on-a-friday", date(2026, 6, 5), AMS, "1 weekdays", "2 days", False),
    ("undelivered-checks-every-weekday", None, AMS, "1 weekdays", "2 days", False),
    ("undelivered-fine", None, AMS, "1 days", "2 days", True),
]


@pytest.mark.parametrize(
    ("delivered", "zone", "delay", "reminder", "allowed"), [c[1:] for c in GAPS], ids=[c[0] for c in GAPS]
)
def test_reminder_at_least_24_hours_after_the_invitation(
    delivered: date | None, zone: str, delay: str, reminder: str, allowed: bool
) -> None:
    current = order(delivered=delivered, zone=zone, delay=delay, reminder=reminder)
    if allowed:
        check_reminder_gap(current, SETTINGS)
        return
    with pytest.raises(Invalid) as raised:
        check_reminder_gap(current, SETTINGS)
    assert from_domain(raised.value).status == 422
    assert [error.field for error in raised.value.errors or []] == ["order.invitation.reminder"]


def test_no_reminder_needs_no_gap() -> None:
    check_reminder_gap(order(delivered=date(2026, 6, 1), reminder=None), SETTINGS)


# --- blocker and next_due -----------------------------------------------------------------------

BLOCKERS = [
    ("eligible", {}, None),
    ("deleted", {"deleted": True}, ("canceled", "deleted")),
    ("canceled", {"status": "canceled"}, ("canceled", "canceled")),
    ("returned", {"status": "returned"}, ("canceled", "canceled")),
    ("no-email", {"email": None}, ("not_eligible", "no_email")),
    ("nothing-reviewable", {"items": [item(reviewable=False)]}, ("not_eligible", "no_reviewable_items")),
    ("only-deleted-items", {"items": [item(deleted=True)]}, ("not_eligible", "no_reviewable_items")),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in BLOCKERS], ids=[c[0] for c in BLOCKERS])
def test_blocker(changes: dict[str, Any], expected: tuple[str, str] | None) -> None:
    assert blocker(order(delivered=date(2026, 6, 1), **changes)) == expected


def test_opt_out_blocks() -> None:
    current = order(delivered=date(2026, 6, 1))
    opted = current.model_copy(update={"customer": current.customer.model_copy(update={"opt_out": True})})
    assert blocker(opted) == ("canceled", "opted_out")


def test_next_due_follows_the_state() -> None:
    current = scheduled(order(delivered=date(2026, 6, 1)))
    assert next_due(current.invitation) == utc(2026, 6, 8, 8)
    sent = _sent(current)
    assert next_due(sent.invitation) == utc(2026, 6, 15, 8)
    reminded = _sent(current, state="reminded", reminded_at=utc(2026, 6, 15, 8))
    assert next_due(reminded.invitation) is None


def test_a_late_invitation_is_not_followed_by_its_reminder_at_once() -> None:
    current = scheduled(order(delivered=date(2026, 6, 1)))
    late = _sent(current, sent_at=utc(2026, 6, 15, 7))
    assert next_due(late.invitation) == utc(2026, 6, 16, 7)
