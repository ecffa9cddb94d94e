"""Review-invitation state of an order, recomputed after every change.

Pure: from the order, the client's settings and the time of the change it derives
the invitation's state, send and reminder times, and the next moment the mailer
must look at the order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from orders_api.domain.base_models import Offset
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import Invalid
from orders_api.domain.field_errors import FieldError
from orders_api.domain.instants import zone
from orders_api.domain.models import Invitation, InvitationState, Item, Order
from orders_api.domain.schedule import (
    MIN_REMINDER_GAP,
    add_offset,
    delivery_base,
    is_expired,
    reminder_gap_ok,
)

InvitationKind = Literal["invitation", "reminder"]
FINAL_STATES = ("reminded", "failed")
# Cancellations no later change of the order undoes: the address failed, or the customer is gone.
LASTING_REASONS = ("bounced", "complained", "erased")
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


def reviewable_items(order: Order) -> list[Item]:
    return [item for item in order.items if item.is_reviewable and not item.deleted]


def items_to_review(order: Order) -> list[Item]:
    """What an email asks the customer to review: reviewable items they have not reviewed yet."""
    return [item for item in reviewable_items(order) if not item.reviewed]


def _base(order: Order, settings: ClientSettings) -> datetime | None:
    if order.invitation.from_ == "order":
        return order.created_at
    known = [item.delivery_date for item in reviewable_items(order) if item.delivery_date is not None]
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
    base = _base(order, settings)
    bases = [base] if base is not None else _REFERENCE_WEEK
    delay = (invitation.delay.unit, invitation.delay.amount)
    reminder = (invitation.reminder.unit, invitation.reminder.amount)
    if not all(reminder_gap_ok(moment, delay, reminder, place) for moment in bases):
        raise Invalid(
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


def blocker(order: Order) -> tuple[InvitationState, str] | None:
    """Why no invitation or reminder may go to this customer now, as (state, reason); None if one may."""
    stop = _stop_reason(order)
    if stop is not None:
        return "canceled", stop
    if order.customer.opt_out:
        return "canceled", "opted_out"
    if not order.customer.email:
        return "not_eligible", "no_email"
    if not reviewable_items(order):
        return "not_eligible", "no_reviewable_items"
    if not items_to_review(order):
        return "canceled", "reviewed"
    return None


def _nothing_to_review(order: Order) -> bool:
    """Delivered (or counted from the order) with no reviewable item: waiting would not help."""
    if reviewable_items(order):
        return False
    started = order.invitation.from_ == "order"
    return started or any(item.delivery_date for item in order.items if not item.deleted)


def schedule(order: Order, settings: ClientSettings, now: datetime) -> Invitation:
    """The invitation after a change of the order.

    Unsent times are recomputed, so they move with new items, dates or settings; a sent
    invitation keeps its times, and canceling or deleting the order only stops what is
    still pending. Reasons that can change (opt-out, no email, nothing reviewable)
    are reconsidered on every change; deleted and canceled orders stay canceled.
    """
    invitation = order.invitation
    if invitation.state in FINAL_STATES:
        return invitation
    if invitation.state == "canceled" and invitation.reason in LASTING_REASONS:
        return invitation
    stop = _stop_reason(order)
    if invitation.sent_at is not None:
        if stop is not None and invitation.state == "sent" and invitation.reminder_at is not None:
            return invitation.model_copy(update={"state": "canceled", "reason": stop})
        return invitation
    if stop is not None:
        if invitation.state is None:
            return invitation
        return invitation.model_copy(update={"state": "canceled", "reason": stop})
    unscheduled = invitation.model_copy(
        update={"state": None, "send_at": None, "reminder_at": None, "reason": None}
    )
    if _nothing_to_review(order):
        return unscheduled.model_copy(update={"state": "not_eligible", "reason": "no_reviewable_items"})
    base = _base(order, settings)
    if base is None or invitation.delay is None:
        return unscheduled
    place = order_zone(order, settings)
    send_at = _at(base, invitation.delay, place)
    reminder_at = _at(base, invitation.reminder, place) if invitation.reminder is not None else None
    state, reason = blocker(order) or (
        ("not_eligible", "expired") if is_expired(send_at, now) else ("scheduled", None)
    )
    return invitation.model_copy(
        update={"state": state, "reason": reason, "send_at": send_at, "reminder_at": reminder_at}
    )


def next_due(invitation: Invitation) -> datetime | None:
    """When the mailer must next act on this invitation, if ever.

    A reminder also waits 24 hours after the invitation really went out, so a late
    invitation is never followed by its reminder at once.
    """
    if invitation.state == "scheduled":
        return invitation.send_at
    if invitation.state == "sent" and invitation.reminded_at is None and invitation.reminder_at is not None:
        if invitation.sent_at is None:
            return invitation.reminder_at
        return max(invitation.reminder_at, invitation.sent_at + MIN_REMINDER_GAP)
    return None


def pending_kind(order: Order) -> InvitationKind | None:
    """The invitation email the order still owes: the invitation, its one reminder, or none."""
    invitation = order.invitation
    if invitation.state == "scheduled":
        return "invitation"
    if invitation.state == "sent" and invitation.reminded_at is None and invitation.reminder_at is not None:
        return "reminder"
    return None
