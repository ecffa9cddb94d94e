from datetime import UTC, date, datetime
from itertools import product

import pytest
from orders_api.domain.errors import Conflict
from orders_api.domain.models import Order, StatusUpdateRequest
from orders_api.domain.transitions import TRANSITIONS, allowed_moves, move

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
TODAY = date(2026, 11, 23)
STATUSES = list(TRANSITIONS)
ALLOWED = {
    ("placed", "paid"), ("placed", "processing"), ("placed", "shipped"), ("placed", "delivered"),
    ("placed", "completed"), ("placed", "canceled"),
    ("paid", "processing"), ("paid", "shipped"), ("paid", "delivered"), ("paid", "completed"), ("paid", "canceled"),
    ("processing", "shipped"), ("processing", "delivered"), ("processing", "completed"), ("processing", "canceled"),
    ("shipped", "delivered"), ("shipped", "completed"), ("shipped", "returned"),
    ("delivered", "completed"), ("delivered", "returned"),
    ("completed", "returned"),
}  # fmt: skip


def order(status: str = "placed", **extra: object) -> Order:
    return Order.model_validate(
        {
            "id": "O1",
            "status": status,
            "customer": {"id": "C1"},
            "items": [
                {"id": "A", "name": "Shoe", "created_at": NOW, "updated_at": NOW},
                {
                    "id": "B",
                    "name": "Hat",
                    "delivery_date": "2026-11-01",
                    "created_at": NOW,
                    "updated_at": NOW,
                },
            ],
            "created_at": NOW,
            "updated_at": NOW,
            "version": 3,
            **extra,
        }
    )


@pytest.mark.parametrize(("current", "target"), list(product(STATUSES, STATUSES)))
def test_every_pair_of_the_transition_table(current: str, target: str) -> None:
    before = order(current)
    request = StatusUpdateRequest(status=target, note="n")  # type: ignore[arg-type]
    if current == target:
        assert move(before, request, NOW, TODAY) is before
    elif (current, target) in ALLOWED:
        after = move(before, request, NOW, TODAY)
        assert after.status == target
        assert after.status_history[0].status == target
        assert after.status_history[0].note == "n"
    else:
        with pytest.raises(Conflict) as raised:
            move(before, request, NOW, TODAY)
        assert raised.value.allowed == list(allowed_moves(current))  # type: ignore[arg-type]


def test_final_statuses_allow_nothing() -> None:
    assert allowed_moves("canceled") == ()
    assert allowed_moves("returned") == ()


def test_history_is_newest_first() -> None:
    paid = move(order(), StatusUpdateRequest(status="paid"), NOW, TODAY)
    shipped = move(paid, StatusUpdateRequest(status="shipped", notify_customer=True), NOW, TODAY)
    assert [change.status for change in shipped.status_history] == ["shipped", "paid"]
    assert shipped.status_history[0].notify_customer is True


def test_delivered_dates_only_undated_items() -> None:
    delivered = move(order("shipped"), StatusUpdateRequest(status="delivered"), NOW, TODAY)
    dates = {item.id: item.delivery_date for item in delivered.items}
    assert dates == {"A": TODAY, "B": date(2026, 11, 1)}


def test_deleted_order_cannot_move() -> None:
    with pytest.raises(Conflict):
        move(order(deleted=True), StatusUpdateRequest(status="paid"), NOW, TODAY)
