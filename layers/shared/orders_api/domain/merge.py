"""How an incoming order is applied to the stored one (create, merge, replace).

Pure functions: they take the stored order (or None) and the validated request and
return the new order; persistence and invitations are done by the caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from orders_api.domain.errors import Conflict
from orders_api.domain.models import (
    Customer,
    CustomerIn,
    Invitation,
    InvitationIn,
    Item,
    ItemIn,
    Order,
    OrderIn,
    WriteMode,
)

_ORDER_FIELDS = ("placed_at", "currency", "total_value", "time_zone", "locale", "note", "attributes")
_CUSTOMER_FIELDS = ("email", "name", "phone")
_INVITATION_FIELDS = ("delay", "reminder", "from_")


def _given(
    model: OrderIn | CustomerIn | ItemIn | InvitationIn | Invitation, fields: tuple[str, ...]
) -> dict[str, Any]:
    """The writable fields the caller actually sent, so absent fields are left alone."""
    return {name: getattr(model, name) for name in fields if name in model.model_fields_set}


def _writable_item_fields() -> tuple[str, ...]:
    return tuple(
        name for name in ItemIn.model_fields if name not in ("id", "deleted", "created_at", "updated_at")
    )


_ITEM_FIELDS = _writable_item_fields()


def _new_item(incoming: ItemIn, now: datetime) -> Item:
    return Item(id=incoming.id, **_given(incoming, _ITEM_FIELDS), created_at=now, updated_at=now)


def _updated_item(existing: Item, incoming: ItemIn, now: datetime, *, whole: bool) -> Item:
    """whole=True (replace) resets fields the caller left out; merge keeps them.

    An item posted back as it was read, `deleted: true` and all, stays deleted; sent without it, it
    is back.
    """
    base = {"id": existing.id} if whole else existing.model_dump(exclude={"deleted", "updated_at"})
    candidate = Item.model_validate(
        {
            **base,
            **_given(incoming, _ITEM_FIELDS),
            "deleted": existing.deleted and incoming.deleted is True,
            "created_at": existing.created_at,
            "updated_at": now,
        }
    )
    if existing.reviewable is None:
        candidate = _as_given(candidate)
    if _same(candidate, existing):
        return existing
    return candidate


def _as_given(item: Item) -> Item:
    """A reviewable flag equal to its default (whether the item has a name) stays the default.

    Orders are shown with the flag resolved, so an order posted back as it was read sends it for an
    item that never had one: stored as given, it would be a change, and a later name change would no
    longer move it.
    """
    if item.reviewable is not None and item.reviewable == bool(item.name):
        return item.model_copy(update={"reviewable": None})
    return item


def _same(left: Item | Order, right: Item | Order) -> bool:
    """Equal but for bookkeeping; the opt-out belongs to the customer record, which the use case reads."""
    ignored: dict[str, Any] = {"updated_at": True, "version": True}
    if isinstance(left, Order):
        ignored["customer"] = {"opt_out"}
    return left.model_dump(exclude=ignored) == right.model_dump(exclude=ignored)


def _customer(existing: Customer | None, incoming: CustomerIn, *, whole: bool) -> Customer:
    """The order's customer; replace resets the fields left out but keeps what the service set.

    New personal data on an erased customer is a new start: it is no longer shown as erased.
    """
    given = _given(incoming, _CUSTOMER_FIELDS)
    if existing is None or existing.id != incoming.id:
        return Customer(id=incoming.id, **given)
    cleared = dict.fromkeys(_CUSTOMER_FIELDS) if whole else {}
    update = {**cleared, **given}
    if given:
        update["erased"] = False
    return existing.model_copy(update=update)


def _invitation(
    existing: Invitation, incoming: InvitationIn | None, defaults: Invitation, *, whole: bool
) -> Invitation:
    """Only the settings change here; state fields are recomputed by the scheduler.

    A field the caller leaves out takes the client's default on create and replace
    and is kept on merge; an explicit null reminder means no reminder.
    """
    given = _given(incoming, _INVITATION_FIELDS) if incoming is not None else {}
    if whole:
        return existing.model_copy(update={**_given(defaults, _INVITATION_FIELDS), **given})
    return existing.model_copy(update=given)


def _merge_items(existing: list[Item], incoming: list[ItemIn], now: datetime, *, whole: bool) -> list[Item]:
    by_id = {item.id: item for item in existing}
    sent = {item.id: item for item in incoming}
    merged: list[Item] = []
    for item in existing:
        update = sent.get(item.id)
        if update is not None:
            merged.append(_updated_item(item, update, now, whole=whole))
        elif whole and not item.deleted:
            merged.append(item.model_copy(update={"deleted": True, "updated_at": now}))
        else:
            merged.append(item)
    merged.extend(_new_item(item, now) for item in incoming if item.id not in by_id)
    return merged


def create(incoming: OrderIn, now: datetime, defaults: Invitation) -> Order:
    return Order(
        id=incoming.id,
        **_given(incoming, _ORDER_FIELDS),
        customer=_customer(None, incoming.customer, whole=True),
        items=[_new_item(item, now) for item in incoming.items],
        invitation=_invitation(Invitation(), incoming.invitation, defaults, whole=True),
        created_at=now,
        updated_at=now,
        version=1,
    )


def update(existing: Order, incoming: OrderIn, now: datetime, defaults: Invitation, *, whole: bool) -> Order:
    """Merge (whole=False) or replace (whole=True) into an existing order."""
    if existing.deleted:
        raise Conflict("The order is deleted; it cannot be changed.")
    top_level = (
        {name: getattr(incoming, name) for name in _ORDER_FIELDS}
        if whole
        else _given(incoming, _ORDER_FIELDS)
    )
    candidate = existing.model_copy(
        update={
            **top_level,
            "customer": _customer(existing.customer, incoming.customer, whole=whole),
            "items": _merge_items(existing.items, incoming.items, now, whole=whole),
            "invitation": _invitation(existing.invitation, incoming.invitation, defaults, whole=whole),
        }
    )
    if _same(candidate, existing):
        return existing
    return candidate.model_copy(update={"updated_at": now, "version": existing.version + 1})


def apply(
    mode: WriteMode, existing: Order | None, incoming: OrderIn, now: datetime, defaults: Invitation
) -> Order:
    if existing is None:
        return create(incoming, now, defaults)
    if mode == "create":
        raise Conflict(f"Order {existing.id!r} already exists.")
    return update(existing, incoming, now, defaults, whole=mode == "replace")
