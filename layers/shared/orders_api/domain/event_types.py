"""The types of event the API publishes: what a webhook may subscribe to (domain.webhooks) and
what a committed write produces (domain.events), here apart so subscribing loads no order model."""

from __future__ import annotations

from typing import Literal

EventType = Literal[
    "order.created",
    "order.updated",
    "order.status_changed",
    "order.deleted",
    "invitation.sent",
    "invitation.reminded",
    "invitation.canceled",
    "invitation.failed",
    "customer.opted_out",
    "customer.erased",
    "email.bounced",
    "email.complained",
]
EVENT_TYPES: tuple[EventType, ...] = EventType.__args__  # type: ignore[attr-defined]
