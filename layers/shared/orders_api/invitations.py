"""Review-invitation state of an order, recomputed after every change.

Pure: from the order, the client's settings and the time of the change it derives
the invitation's state, send and reminder times, and the next moment the mailer
must look at the order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from orders_api.clients import ClientSettings
from orders_api.errors import ValidationFailed
from orders_api.models import FieldError, Invitation, Offset, Order
from orders_api.schedule import add_offset, delivery_base, is_expired, reminder_gap_ok
from orders_api.types import zone

FINAL_STATES = ("reminded", "failed")
STOPPED_STATUSES = ("canceled", "returned")
_REFERENCE_WEEK = [datetime(2026, 1, 5, 10, tzinfo=UTC) + timedelta(days=offset) for offset in range(7)]


def defaults(settings: ClientSettings) -> Invitation:
    return Invitation(
        delay=settings.invitation_delay, reminder=settings.invitation_reminder, from_="delivery"
    )


def order_zone(order: Order, settings: ClientSettings) -> ZoneInfo:
    return zone(order.time_zone or settings.time_zone)


def local_today(order: Order, settings: ClientSettings, now: datetime) -> date:
    return now.astimezone(order_zone(order, settings)).date()


def _base(order: Order, settings: ClientSettings) -> datetime | None:
    if order.invitation.from_ == "order":
        return order.created_at
    dates = [item.delivery_date for item in order.items if item.is_reviewable and not item.deleted]
    known = [day for day in dates if day is not None]
    if not known:
        return None
    return delivery_base(max(known), settings.send_time, order_zone(order, settings))


def _at(base: datetime, offset: Offset, place: ZoneInfo) -> datetime:
    return add_offset(base, offset.unit, offset.amount, place)


def check_reminder_gap(order: Order, settings: ClientSettings) -> None:
    """422 unless the reminder falls at least 24 hours after the invitation for any base."""
    invitation = order.invitation
    if invitation.delay is None or invitation.reminder is None:
        return
    place = order_zone(order, settings)
    bases = [_base(order, settings)] if _base(order, settings) is not None else _REFERENCE_WEEK
    delay = (invitation.delay.unit, invitation.delay.amount)
    reminder = (invitation.reminder.unit, invitation.reminder.amount)
    if not all(reminder_gap_ok(base, delay, reminder, place) for base in bases if base is not None):
        raise ValidationFailed(
            "The reminder must fall at least 24 hours after the invitation.",
            errors=[
                FieldError(field="order.invitation.reminder", message="must be at least 24 hours after delay")
            ],
        )


def _stop_reason(order: Order) -> str | None:
    if order.deleted:
        return "deleted"
    if order.status in STOPPED_STATUSES:
        return "canceled"
    return None


def schedule(order: Order, settings: ClientSettings, now: datetime) -> Invitation:
    invitation = order.invitation
    if invitation.state in FINAL_STATES:
        return invitation
    stop = _stop_reason(order)
    if invitation.sent_at is not None:
        if stop is not None and invitation.reminder_at is not None:
            return invitation.model_copy(update={"state": "canceled", "reason": stop})
        return invitation
    if stop is not None:
        if invitation.state is None:
            return invitation
        return invitation.model_copy(update={"state": "canceled", "reason": stop})
    unscheduled = invitation.model_copy(
        update={"state": None, "send_at": None, "reminder_at": None, "reason": None}
    )
    base = _base(order, settings)
    if base is None or invitation.delay is None or not order.customer.email:
        return unscheduled
    place = order_zone(order, settings)
    send_at = _at(base, invitation.delay, place)
    reminder_at = _at(base, invitation.reminder, place) if invitation.reminder is not None else None
    expired = is_expired(send_at, now)
    return invitation.model_copy(
        update={
            "state": "not_eligible" if expired else "scheduled",
            "reason": "expired" if expired else None,
            "send_at": send_at,
            "reminder_at": reminder_at,
        }
    )


def next_due(invitation: Invitation) -> datetime | None:
    """When the mailer must next act on this invitation, if ever."""
    if invitation.state == "scheduled":
        return invitation.send_at
    if invitation.state == "sent" and invitation.reminded_at is None:
        return invitation.reminder_at
    return None
