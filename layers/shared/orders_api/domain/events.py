"""The events a committed write produces, derived from the item's old and new image.

Events come from the table's stream, never from the handlers, so an event exists if and only if
its write committed. Everything here is pure: the store decodes a stream record into a Change,
and derive() says what happened. An event's id is a hash of the stream record's id and the
event's type, so a retried record publishes the same ids again.

Order events carry the order as the API shows it from the new image only, so after an erasure
(which rewrites the order without the customer's data) no event holds personal data; customer
events carry the customer id and never an address, name or phone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from orders_api.domain.event_types import EventType
from orders_api.domain.models import Order

SOURCE = "orders-api"

# Fields whose change a more specific event reports (or that change with every write).
_NOT_AN_UPDATE = ("status", "status_history", "deleted", "deleted_at", "invitation", "version", "updated_at")
_PENDING = ("scheduled", "sent")


@dataclass(frozen=True)
class CustomerImage:
    """What events need of a customer item; issue-13 fields default to absent."""

    id: str
    opt_out: bool = False
    erased: bool = False
    suppressed: str | None = None


Image = Order | CustomerImage


@dataclass(frozen=True)
class Change:
    """One committed write: the stream record's id and time, its client, and the item before and after."""

    record_id: str
    at: str
    client_id: str
    old: Image | None
    new: Image | None


@dataclass(frozen=True)
class Event:
    """One event as EventBridge and the webhooks receive it."""

    id: str
    type: EventType
    created_at: str
    client_id: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at,
            "client_id": self.client_id,
            "data": self.data,
        }


def event_id(record_id: str, event_type: str) -> str:
    """Stable across retries of the record; two events of one record differ by type."""
    return "evt_" + hashlib.sha256(f"{record_id}|{event_type}".encode()).hexdigest()[:32]


def derive(change: Change) -> list[Event]:
    """Every event of one write, in the order they happened; none for a write that changed nothing."""
    found: list[tuple[EventType, dict[str, Any]]]
    if isinstance(change.new, Order):
        old = change.old if isinstance(change.old, Order) else None
        found = _order_events(old, change.new)
    elif isinstance(change.new, CustomerImage):
        old_customer = change.old if isinstance(change.old, CustomerImage) else None
        found = _customer_events(old_customer, change.new)
    else:
        found = []
    return [
        Event(event_id(change.record_id, kind), kind, change.at, change.client_id, data)
        for kind, data in found
    ]


def _order_events(old: Order | None, new: Order) -> list[tuple[EventType, dict[str, Any]]]:
    shown = new.public()
    if old is None:
        return [("order.created", {"order": shown})]
    before = old.public()
    if before == shown:
        return []
    found: list[tuple[EventType, dict[str, Any]]] = []
    if any(before.get(name) != shown.get(name) for name in shown if name not in _NOT_AN_UPDATE):
        found.append(("order.updated", {"order": shown}))
    if old.status != new.status:
        found.append(("order.status_changed", {"order": shown, "from": old.status, "to": new.status}))
    if new.deleted and not old.deleted:
        found.append(("order.deleted", {"order": shown}))
    found.extend(_invitation_events(old, new))
    return found


def _invitation_events(old: Order, new: Order) -> list[tuple[EventType, dict[str, Any]]]:
    was, now = old.invitation.state, new.invitation.state
    if was == now:
        return []
    # An invitation already sent leaves the reminder as the email still pending.
    pending_kind = "reminder" if was == "sent" else "invitation"
    base: dict[str, Any] = {"order_id": new.id}
    reason = {"reason": new.invitation.reason} if new.invitation.reason else {}
    if now == "sent":
        return [("invitation.sent", {**base, "kind": "invitation"})]
    if now == "reminded":
        return [("invitation.reminded", {**base, "kind": "reminder"})]
    if now == "failed":
        return [("invitation.failed", {**base, "kind": pending_kind, **reason})]
    if now in ("canceled", "not_eligible") and was in _PENDING:
        return [("invitation.canceled", {**base, "kind": pending_kind, **reason})]
    return []


def _customer_events(old: CustomerImage | None, new: CustomerImage) -> list[tuple[EventType, dict[str, Any]]]:
    before = old or CustomerImage(id=new.id)
    data = {"customer_id": new.id}
    found: list[tuple[EventType, dict[str, Any]]] = []
    if new.opt_out and not before.opt_out:
        found.append(("customer.opted_out", data))
    if new.erased and not before.erased:
        found.append(("customer.erased", data))
    if new.suppressed != before.suppressed and new.suppressed in ("bounced", "complained"):
        found.append(("email.bounced" if new.suppressed == "bounced" else "email.complained", data))
    return found


def matches(subscribed: list[str], event_type: str) -> bool:
    """Whether a webhook subscribed to these types (or "*") wants this event."""
    return "*" in subscribed or event_type in subscribed
