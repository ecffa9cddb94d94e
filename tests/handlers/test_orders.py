"""POST / GET / DELETE orders through the real handlers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from testkit import OTHER_KEY, Api, DynamoCalls
from tests.handlers.conftest import order_path


def order(order_id: str = "O1", **fields: Any) -> dict[str, Any]:
    return {"order": {"id": order_id, "customer": {"id": "C1", "email": "ann@example.com"}, **fields}}


def test_create_then_get(api: Api) -> None:
    created = api.call("POST", "/v1/orders", body=order(items=[{"id": "A", "name": "Shoe", "price": 19.99}]))
    assert created.status == 201
    assert created.header("Location") == "/v1/orders/O1"
    assert created.header("ETag") == '"1"'
    assert created.header("Content-Type") == "application/json; charset=utf-8"
    assert created.json["data"]["items"][0]["price"] == 19.99
    assert '"price":19.99' in created.text
    fetched = api.call("GET", "/v1/orders/O1")
    assert fetched.status == 200
    assert fetched.json == created.json
    assert fetched.header("ETag") == '"1"'


@pytest.mark.parametrize("order_id", ["a/b", "a#b", "a b", "ünï©ødé", "%2F", "x?y=1", "O#1#CU#2"])
def test_ids_with_any_characters_round_trip(api: Api, order_id: str) -> None:
    assert api.call("POST", "/v1/orders", body=order(order_id)).status == 201
    fetched = api.call("GET", order_path(order_id))
    assert fetched.status == 200
    assert fetched.json["data"]["id"] == order_id


def test_similar_ids_do_not_collide(api: Api) -> None:
    for order_id, note in (("a#b", "one"), ("a", "two"), ("a#O#b", "three")):
        api.call("POST", "/v1/orders", body=order(order_id, note=note))
    notes = [api.call("GET", order_path(i)).json["data"]["note"] for i in ("a#b", "a", "a#O#b")]
    assert notes == ["one", "two", "three"]


def test_merge_then_cancel_an_item(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order(items=[{"id": "A", "name": "Shoe"}]))
    merged = api.call("POST", "/v1/orders", body=order(items=[{"id": "B", "name": "Hat"}]))
    assert merged.status == 200
    assert merged.header("ETag") == '"2"'
    canceled = api.call("POST", "/v1/orders", body=order(items=[{"id": "A", "reviewable": False}]))
    items = {item["id"]: item["reviewable"] for item in canceled.json["data"]["items"]}
    assert items == {"A": False, "B": True}


def test_create_mode_conflicts_and_replace_deletes_absent_items(api: Api) -> None:
    api.call(
        "POST", "/v1/orders", body=order(items=[{"id": "A", "name": "Shoe"}, {"id": "B", "name": "Hat"}])
    )
    conflict = api.call("POST", "/v1/orders?mode=create", body=order())
    assert conflict.status == 409
    assert conflict.header("Content-Type") == "application/problem+json; charset=utf-8"
    replaced = api.call("POST", "/v1/orders?mode=replace", body=order(items=[{"id": "A", "name": "Boot"}]))
    assert replaced.status == 200
    items = {item["id"]: (item["name"], item["deleted"]) for item in replaced.json["data"]["items"]}
    assert items == {"A": ("Boot", False), "B": ("Hat", True)}


def test_another_clients_order_is_not_found(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    assert api.call("GET", "/v1/orders/O1", key=OTHER_KEY).status == 404
    assert api.call("DELETE", "/v1/orders/O1", key=OTHER_KEY).status == 404
    created = api.call("POST", "/v1/orders", body=order(note="theirs"), key=OTHER_KEY)
    assert created.status == 201
    assert api.call("GET", "/v1/orders/O1").json["data"]["note"] is None


def test_client_id_parameter_must_match_the_key(api: Api) -> None:
    assert api.call("GET", "/v1/orders/O1?client_id=demo").status == 404
    forbidden = api.call("GET", "/v1/orders/O1?client_id=other")
    assert forbidden.status == 403
    assert forbidden.json["status"] == 403


def test_unknown_and_revoked_keys_are_refused(api: Api) -> None:
    assert api.call("GET", "/v1/orders/O1", key="nope").status == 401
    assert api.call("GET", "/v1/orders/O1", key=None).status == 401


def test_delete_is_soft_and_repeatable(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    deleted = api.call("DELETE", "/v1/orders/O1")
    assert deleted.status == 200
    assert deleted.json["data"]["deleted"] is True
    assert deleted.json["data"]["deleted_at"]
    again = api.call("DELETE", "/v1/orders/O1")
    assert again.status == 200
    assert again.json["data"]["version"] == deleted.json["data"]["version"]
    assert api.call("GET", "/v1/orders/O1").json["data"]["deleted"] is True
    assert api.call("POST", "/v1/orders", body=order(note="x")).status == 409
    assert api.call("DELETE", "/v1/orders/missing").status == 404


def test_stale_if_match_is_412_and_changes_nothing(api: Api) -> None:
    api.call("POST", "/v1/orders", body=order())
    api.call("POST", "/v1/orders", body=order(note="v2"))
    stale = api.call("POST", "/v1/orders", body=order(note="v3"), headers={"If-Match": '"1"'})
    assert stale.status == 412
    assert api.call("DELETE", "/v1/orders/O1", headers={"If-Match": '"1"'}).status == 412
    current = api.call("GET", "/v1/orders/O1")
    assert current.json["data"]["note"] == "v2"
    assert current.json["data"]["deleted"] is False
    ok = api.call("POST", "/v1/orders", body=order(note="v3"), headers={"If-Match": '"2"'})
    assert ok.status == 200
    assert ok.header("ETag") == '"3"'


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("", "application/json", 422),
        ("[]", "application/json", 422),
        ('"text"', "application/json", 422),
        ('{"order": {"id": "O1", "customer": {"id": "C1"}}}', "text/plain", 415),
        ('{"order": {"id": "O1", "customer": {"id": "C1"}}}', "application/x-www-form-urlencoded", 415),
        ('{"order": {"id": "\\ud800", "customer": {"id": "C1"}}}', "application/json", 422),
        ('{"order": {"id": "O1", "customer": {"id": "C1"}, "total_value": 1e999}}', "application/json", 422),
    ],
)
def test_malformed_bodies_are_4xx_problems_and_store_nothing(
    api: Api, raw: str, content_type: str, status: int
) -> None:
    reply = api.call("POST", "/v1/orders", raw_body=raw, headers={"Content-Type": content_type})
    assert reply.status == status
    assert reply.header("Content-Type") == "application/problem+json; charset=utf-8"
    assert reply.json["status"] == status
    assert api.call("GET", "/v1/orders/O1").status == 404


@pytest.mark.parametrize(
    "content_type",
    [
        "APPLICATION/JSON",
        "Application/Json; charset=UTF-8",
        "application/merge-patch+json",
        "application/vnd.api+json",
    ],
)
def test_json_under_any_case_or_a_json_suffix_is_read_as_json(api: Api, content_type: str) -> None:
    created = api.call("POST", "/v1/orders", body=order(), headers={"Content-Type": content_type})
    assert created.status == 201, created.text
    patched = api.call(
        "PATCH", "/v1/customers/C1", body={"opt_out": True}, headers={"Content-Type": content_type}
    )
    assert patched.status == 200, patched.text
    assert patched.json["data"]["opt_out"] is True


@pytest.mark.parametrize(
    "content_type", ["APPLICATION/JSON", "application/merge-patch+json", "; charset=utf-8", "text/plain"]
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/orders"), ("PATCH", "/v1/customers/C1"), ("PUT", "/v1/templates/status/nl")],
)
def test_no_body_is_a_missing_body_whatever_the_media_type(
    api: Api, content_type: str, method: str, path: str
) -> None:
    reply = api.call(method, path, raw_body="", headers={"Content-Type": content_type})
    assert reply.status == 422, reply.text
    assert reply.json["errors"] == [{"field": "body", "message": "Field required"}]


def test_parameters_without_a_media_type_are_read_as_json(api: Api) -> None:
    reply = api.call("POST", "/v1/orders", body=order(), headers={"Content-Type": "; charset=utf-8"})
    assert reply.status == 201, reply.text


def test_validation_lists_every_problem_with_its_path(api: Api) -> None:
    reply = api.call(
        "POST",
        "/v1/orders",
        body={
            "order": {"id": "", "customer": {"email": "nope"}, "items": [{"id": "A", "gtin": "123"}], "x": 1}
        },
    )
    assert reply.status == 422
    fields = {error["field"] for error in reply.json["errors"]}
    assert {
        "order.id",
        "order.customer.id",
        "order.customer.email",
        "order.items[0].gtin",
        "order.x",
    } <= fields
    assert reply.json["type"].endswith("/validation-error")
    assert reply.json["instance"] == "/v1/orders"


def test_oversized_body_is_413(api: Api) -> None:
    reply = api.call("POST", "/v1/orders", raw_body=json.dumps(order(note="x" * (1024 * 1024))))
    assert reply.status == 413


def test_order_too_large_to_store_is_413(api: Api) -> None:
    items = [
        {"id": f"item-{n}", "name": "n" * 2000, "url": "https://x.example/" + "p" * 1900} for n in range(100)
    ]
    reply = api.call("POST", "/v1/orders", body=order(items=items))
    assert reply.status == 413
    assert "limit" in reply.json["detail"]
    assert api.call("GET", "/v1/orders/O1").status == 404


def test_request_id_is_echoed_or_made(api: Api) -> None:
    echoed = api.call("GET", "/v1/orders/O1", headers={"X-Request-Id": "trace-123"})
    assert echoed.header("X-Request-Id") == "trace-123"
    assert echoed.json["request_id"] == "trace-123"
    assert api.call("GET", "/v1/orders/O1").header("X-Request-Id")


def test_get_is_one_get_item(api: Api, ddb_calls: DynamoCalls) -> None:
    api.call("POST", "/v1/orders", body=order())
    ddb_calls.clear()
    api.call("GET", "/v1/orders/O1")
    assert ddb_calls == {"GetItem": 1}


def test_merge_into_an_existing_order_is_one_read_and_one_write(api: Api, ddb_calls: DynamoCalls) -> None:
    api.call("POST", "/v1/orders", body=order())
    ddb_calls.clear()
    api.call("POST", "/v1/orders", body=order(note="changed"))
    assert ddb_calls == {"BatchGetItem": 1, "TransactWriteItems": 1}


def test_delete_is_one_read_and_one_write(api: Api, ddb_calls: DynamoCalls) -> None:
    api.call("POST", "/v1/orders", body=order())
    ddb_calls.clear()
    api.call("DELETE", "/v1/orders/O1")
    assert ddb_calls == {"GetItem": 1, "PutItem": 1}
