"""Order status moves. The transition table is data, so it is tested pair by pair."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

from orders_api.domain.errors import Conflict
from orders_api.domain.models import Order, StatusChange, StatusUpdateRequest
from orders_api.domain.status import Status

TRANSITIONS: MappingProxyType[str, tuple[Status, ...]] = MappingProxyType(
    {
        "placed": ("paid", "processing", "shipped", "delivered", "completed", "canceled"),
        "paid": ("processing", "shipped", "delivered", "completed", "canceled"),
        "processing": ("shipped", "delivered", "completed", "canceled"),
        "shipped": ("delivered", "completed", "returned"),
        "delivered": ("completed", "returned"),
        "completed": ("returned",),
        "canceled": (),
        "returned": (),
    }
)


def allowed_moves(current: Status) -> tuple[Status, ...]:
    return TRANSITIONS[current]


def move(order: Order, request: StatusUpdateRequest, now: datetime, local_today: date) -> Order:
    """The order after the move; the same object when the status is already the one asked for.

    `delivered` dates every undated item with the order's local date, which can
    schedule the invitation; invitations react to canceled/returned when saved.
    """
    if order.deleted:
        raise Conflict("The order is deleted; its status cannot change.")
    if request.status == order.status:
        return order
    allowed = allowed_moves(order.status)
    if request.status not in allowed:
        raise Conflict(
            f"An order that is {order.status} cannot become {request.status}.",
            allowed=list(allowed),
        )
    items = order.items
    if request.status == "delivered":
        items = [
            item
            if item.delivery_date is not None
            else item.model_copy(update={"delivery_date": local_today, "updated_at": now})
            for item in items
        ]
    change = StatusChange(
        status=request.status, note=request.note, notify_customer=request.notify_customer, created_at=now
    )
    return order.model_copy(
        update={"status": request.status, "items": items, "status_history": [change, *order.status_history]}
    )
