from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from orders_api.domain import merge
from orders_api.domain.base_models import Offset
from orders_api.domain.errors import Conflict
from orders_api.domain.models import Invitation, Order, OrderIn

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
DEFAULTS = Invitation(
    delay=Offset(unit="days", amount=7), reminder=Offset(unit="days", amount=14), from_="delivery"
)


def incoming(**fields: Any) -> OrderIn:
    return OrderIn.model_validate({"id": "O1", "customer": {"id": "C1", "email": "a@example.com"}, **fields})


def created(**fields: Any) -> Order:
    return merge.create(incoming(**fields), T0, DEFAULTS)


def test_create_takes_the_defaults_and_starts_at_version_one() -> None:
    order = created(items=[{"id": "A", "name": "Shoe"}])
    assert order.version == 1
    assert order.status == "placed"
    assert order.invitation.delay == Offset(unit="days", amount=7)
    assert order.invitation.reminder == Offset(unit="days", amount=14)
    assert order.items[0].created_at == T0


def test_explicit_null_reminder_means_no_reminder() -> None:
    order = created(invitation={"reminder": None})
    assert order.invitation.reminder is None
    assert order.invitation.delay == Offset(unit="days", amount=7)


def test_merge_updates_given_fields_and_keeps_the_rest() -> None:
    existing = created(note="first", currency="EUR", items=[{"id": "A", "name": "Shoe", "price": 10}])
    after = merge.update(
        existing, incoming(note="second", items=[{"id": "B", "name": "Hat"}]), T1, DEFAULTS, whole=False
    )
    assert after.note == "second"
    assert after.currency == "EUR"
    assert [item.id for item in after.items] == ["A", "B"]
    assert after.items[0].price == Decimal(10)
    assert after.version == 2
    assert after.updated_at == T1


def test_merge_updates_given_fields_of_existing_items() -> None:
    existing = created(items=[{"id": "A", "name": "Shoe", "price": 10, "quantity": 2}])
    after = merge.update(existing, incoming(items=[{"id": "A", "quantity": 3}]), T1, DEFAULTS, whole=False)
    item = after.items[0]
    assert (item.name, item.price, item.quantity) == ("Shoe", Decimal(10), 3)
    assert item.created_at == T0
    assert item.updated_at == T1


def test_reviewable_false_cancels_one_item() -> None:
    existing = created(items=[{"id": "A", "name": "Shoe"}, {"id": "B", "name": "Hat"}])
    after = merge.update(
        existing, incoming(items=[{"id": "A", "reviewable": False}]), T1, DEFAULTS, whole=False
    )
    assert [item.is_reviewable for item in after.items] == [False, True]


def test_reviewable_defaults_to_having_a_name() -> None:
    order = created(items=[{"id": "A", "name": "Shoe"}, {"id": "B"}])
    assert [item.is_reviewable for item in order.items] == [True, False]
    shown = order.public()["items"]
    assert [item["reviewable"] for item in shown] == [True, False]


def test_an_identical_merge_changes_nothing() -> None:
    existing = created(items=[{"id": "A", "name": "Shoe"}])
    assert (
        merge.update(existing, incoming(items=[{"id": "A", "name": "Shoe"}]), T1, DEFAULTS, whole=False)
        is existing
    )


def test_merge_never_deletes_items() -> None:
    existing = created(items=[{"id": "A", "name": "Shoe"}, {"id": "B", "name": "Hat"}])
    after = merge.update(existing, incoming(items=[]), T1, DEFAULTS, whole=False)
    assert [(item.id, item.deleted) for item in after.items] == [("A", False), ("B", False)]


def test_replace_marks_absent_items_deleted_and_resets_fields() -> None:
    existing = created(
        note="keep?", items=[{"id": "A", "name": "Shoe", "price": 5}, {"id": "B", "name": "Hat"}]
    )
    existing = existing.model_copy(update={"status": "shipped"})
    after = merge.update(existing, incoming(items=[{"id": "A", "name": "Boot"}]), T1, DEFAULTS, whole=True)
    assert after.note is None
    assert after.status == "shipped"
    assert after.created_at == T0
    by_id = {item.id: item for item in after.items}
    assert by_id["A"].name == "Boot"
    assert by_id["A"].price is None
    assert by_id["A"].deleted is False
    assert by_id["B"].deleted is True
    assert by_id["B"].name == "Hat"


def test_replace_restores_invitation_defaults() -> None:
    existing = created(invitation={"delay": {"unit": "hours", "amount": 2}})
    after = merge.update(existing, incoming(), T1, DEFAULTS, whole=True)
    assert after.invitation.delay == Offset(unit="days", amount=7)


def test_create_mode_refuses_an_existing_order() -> None:
    with pytest.raises(Conflict):
        merge.apply("create", created(), incoming(), T1, DEFAULTS)


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_deleted_orders_cannot_change(mode: str) -> None:
    deleted = created().model_copy(update={"deleted": True})
    with pytest.raises(Conflict):
        merge.apply(mode, deleted, incoming(note="x"), T1, DEFAULTS)  # type: ignore[arg-type]


def test_a_new_customer_id_starts_a_fresh_customer() -> None:
    existing = created()
    after = merge.update(
        existing, OrderIn.model_validate({"id": "O1", "customer": {"id": "C2"}}), T1, DEFAULTS, whole=False
    )
    assert after.customer.id == "C2"
    assert after.customer.email is None


def test_merge_keeps_customer_fields_not_sent() -> None:
    existing = created()
    after = merge.update(
        existing,
        OrderIn.model_validate({"id": "O1", "customer": {"id": "C1", "name": "Ann"}}),
        T1,
        DEFAULTS,
        whole=False,
    )
    assert (after.customer.email, after.customer.name) == ("a@example.com", "Ann")
