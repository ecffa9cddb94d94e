"""Status moves, idempotency keys and batches through the real handlers."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from orders_api.app.orders import Orders

from testkit import OTHER_KEY, Api, DynamoCalls


def order(order_id: str = "O1", **fields: Any) -> dict[str, Any]:
    return {"order": {"id": order_id, "customer": {"id": "C1", "email": "ann@example.com"}, **fields}}


def move(api: Api, status: str, order_id: str = "O1", **fields: Any) -> Any:
    return api.call("PUT", f"/v1/orders/{order_id}/status", body={"status": status, **fields})


def test_status_moves_append_history_newest_first(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    assert move(api, "paid").status == 200
    shipped = move(api, "shipped", note="Tracking #ABC", notify_customer=True)
    data = shipped.json["data"]
    assert data["status"] == "shipped"
    assert [(h["status"], h["note"], h["notify_customer"]) for h in data["status_history"]] == [
        ("shipped", "Tracking #ABC", True),
        ("paid", None, False),
    ]
    assert shipped.header("ETag") == '"3"'


def test_same_status_again_changes_nothing(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    first = move(api, "paid")
    again = move(api, "paid", note="again")
    assert again.status == 200
    assert again.json == first.json


def test_forbidden_move_lists_the_allowed_ones(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    move(api, "canceled")
    refused = move(api, "shipped")
    assert refused.status == 409
    assert refused.json["allowed"] == []
    api.call("POST", "/v1/orders", body=order("O2"))
    move(api, "delivered", "O2")
    refused = move(api, "paid", "O2")
    assert refused.json["allowed"] == ["completed", "returned"]


def test_delivered_dates_undated_items_and_schedules_the_invitation(api: Api) -> None:
    api.call(
        "POST", "/v1/orders", body=order(time_zone="Europe/Amsterdam", items=[{"id": "A", "name": "Shoe"}])
    )
    delivered = move(api, "delivered").json["data"]
    assert delivered["items"][0]["delivery_date"]
    assert delivered["invitation"]["state"] == "scheduled"
    assert delivered["invitation"]["send_at"]


def test_cancel_stops_the_scheduled_invitation(api: Api) -> None:
    api.call(
        "POST", "/v1/orders", body=order(items=[{"id": "A", "name": "Shoe", "delivery_date": "2026-11-20"}])
    )
    canceled = move(api, "canceled").json["data"]["invitation"]
    assert (canceled["state"], canceled["reason"]) == ("canceled", "canceled")


def test_status_of_a_deleted_or_missing_order(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    api.call("DELETE", "/v1/orders/O1")
    assert move(api, "paid").status == 409
    assert move(api, "paid", "missing").status == 404
    assert move(api, "paid", "O1").json["type"].endswith("/conflict")


def test_status_body_is_validated(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    reply = api.call("PUT", "/v1/orders/O1/status", body={"status": "lost", "extra": 1})
    assert reply.status == 422
    assert {e["field"] for e in reply.json["errors"]} == {"status", "extra"}


def test_status_move_is_one_read_and_one_write(api: Api, ddb_calls: DynamoCalls) -> None:
    api.call("POST", "/v1/orders", body=order())
    ddb_calls.clear()
    move(api, "paid")
    assert ddb_calls == {"GetItem": 1, "PutItem": 1}


def test_status_if_match(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    assert (
        api.call("PUT", "/v1/orders/O1/status", body={"status": "paid"}, headers={"If-Match": '"7"'}).status
        == 412
    )
    assert api.call("GET", "/v1/orders/O1").json["data"]["status"] == "placed"
    assert (
        api.call("PUT", "/v1/orders/O1/status", body={"status": "paid"}, headers={"If-Match": '"1"'}).status
        == 200
    )


def test_idempotency_key_replays_the_first_answer(api: Api) -> None:
    headers = {"Idempotency-Key": "key-1"}
    first = api.call("POST", "/v1/orders", body=order(note="one"), headers=headers)
    assert first.status == 201
    api.call("POST", "/v1/orders", body=order(note="changed in between"))
    replay = api.call("POST", "/v1/orders", body=order(note="one"), headers=headers)
    assert replay.status == 201
    assert replay.header("Idempotent-Replayed") == "true"
    assert replay.json == first.json
    assert api.call("GET", "/v1/orders/O1").json["data"]["note"] == "changed in between"


def test_idempotency_key_with_another_body_is_422(api: Api) -> None:
    headers = {"Idempotency-Key": "key-2"}
    api.call("POST", "/v1/orders", body=order(note="one"), headers=headers)
    reused = api.call("POST", "/v1/orders", body=order(note="two"), headers=headers)
    assert reused.status == 422
    assert reused.json["errors"][0]["field"] == "Idempotency-Key"


def test_idempotency_keys_are_scoped_to_the_client(api: Api) -> None:
    headers = {"Idempotency-Key": "shared"}
    assert api.call("POST", "/v1/orders", body=order(), headers=headers).status == 201
    theirs = api.call("POST", "/v1/orders", body=order(), headers=headers, key=OTHER_KEY)
    assert theirs.status == 201
    assert theirs.header("Idempotent-Replayed") is None


def test_idempotency_key_too_long_is_422(api: Api) -> None:
    reply = api.call("POST", "/v1/orders", body=order(), headers={"Idempotency-Key": "k" * 256})
    assert reply.status == 422
    assert api.call("GET", "/v1/orders/O1").status == 404


def test_put_status_honours_idempotency_keys(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    headers = {"Idempotency-Key": "move-1"}
    first = api.call("PUT", "/v1/orders/O1/status", body={"status": "paid"}, headers=headers)
    replay = api.call("PUT", "/v1/orders/O1/status", body={"status": "paid"}, headers=headers)
    assert replay.header("Idempotent-Replayed") == "true"
    assert replay.json == first.json


class Killed(BaseException):
    """Stands in for a Lambda timeout: nothing after it runs, not even cleanup."""


def test_retry_after_a_timeout_mid_way_leaves_one_order(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    real_upsert = Orders.upsert

    def upsert_then_die(self: Orders, *args: Any, **kwargs: Any) -> Any:
        real_upsert(self, *args, **kwargs)
        raise Killed

    headers = {"Idempotency-Key": "retry-1"}
    monkeypatch.setattr(Orders, "upsert", upsert_then_die)
    with pytest.raises(Killed):
        api.call("POST", "/v1/orders", body=order(), headers=headers)
    monkeypatch.setattr(Orders, "upsert", real_upsert)

    in_flight = api.call("POST", "/v1/orders", body=order(), headers=headers)
    assert in_flight.status == 409

    table = boto3.resource("dynamodb").Table("IdempotencyTable")
    for record in table.scan()["Items"]:
        table.update_item(
            Key={"id": record["id"]},
            UpdateExpression="SET in_progress_expiration = :past",
            ExpressionAttributeValues={":past": 1},
        )
    retried = api.call("POST", "/v1/orders", body=order(), headers=headers)
    assert retried.status == 200
    assert retried.json["data"]["version"] == 1


def test_batch_applies_each_order_on_its_own(api: Api) -> None:
    reply = api.call(
        "POST",
        "/v1/orders/batch",
        body={
            "mode": "merge",
            "orders": [
                {"id": "B1", "customer": {"id": "C1"}},
                {"id": "B2", "customer": {"email": "bad"}},
                {"id": "B3", "customer": {"id": "C1"}, "items": [{"id": "A", "name": "Shoe"}]},
                "not an order",
            ],
        },
    )
    assert reply.status == 200
    results = reply.json["data"]
    assert [(r["index"], r["id"], r["status"]) for r in results] == [
        (0, "B1", 201),
        (1, "B2", 422),
        (2, "B3", 201),
        (3, None, 422),
    ]
    assert results[0]["order"]["id"] == "B1"
    assert {e["field"] for e in results[1]["errors"]} == {"order.customer.id", "order.customer.email"}
    assert api.call("GET", "/v1/orders/B2").status == 404
    assert api.call("GET", "/v1/orders/B3").status == 200


def test_batch_create_mode_reports_conflicts(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order("B1"))
    reply = api.call(
        "POST",
        "/v1/orders/batch",
        body={"mode": "create", "orders": [{"id": "B1", "customer": {"id": "C1"}}]},
    )
    assert reply.json["data"][0]["status"] == 409


@pytest.mark.parametrize("count", [0, 101])
def test_batch_size_limits(api: Api, count: int) -> None:
    orders = [{"id": f"B{n}", "customer": {"id": "C"}} for n in range(count)]
    reply = api.call("POST", "/v1/orders/batch", body={"orders": orders})
    assert reply.status == 422
    assert reply.json["errors"][0]["field"] == "orders"
