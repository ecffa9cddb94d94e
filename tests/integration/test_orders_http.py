"""Orders over real HTTP against the local runtime: the README walk-through, races, replays, fuzzing."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orders_api.domain.transitions import TRANSITIONS

from tests.integration.conftest import ApiClient, LocalApi


def client(local_api: LocalApi) -> ApiClient:
    return local_api.client(local_api.keys["demo"])


def new_id() -> str:
    return f"it-{uuid.uuid4().hex[:10]}"


def test_readme_walk_through(local_api: LocalApi) -> None:
    api, order_id = client(local_api), new_id()
    body = {
        "order": {
            "id": order_id,
            "customer": {"id": "C7", "email": "jane@example.com", "name": "Jane Doe"},
            "items": [
                {"id": "SKU-1", "name": "Trail shoe", "price": 89.95, "url": "https://shop.example/p/sku-1"}
            ],
        }
    }
    created = api.post("/v1/orders", body)
    assert created.status == 201
    assert created.headers["Location"] == f"/v1/orders/{order_id}"
    assert created.headers["ETag"] == '"1"'
    merged = api.post(
        "/v1/orders", {"order": {"id": order_id, "customer": {"id": "C7"}, "items": [{"id": "SKU-2"}]}}
    )
    assert merged.status == 200
    assert [i["id"] for i in merged.body["data"]["items"]] == ["SKU-1", "SKU-2"]
    canceled = api.post(
        "/v1/orders",
        {
            "order": {
                "id": order_id,
                "customer": {"id": "C7"},
                "items": [{"id": "SKU-1", "reviewable": False}],
            }
        },
    )
    assert canceled.body["data"]["items"][0]["reviewable"] is False
    fetched = api.get(f"/v1/orders/{order_id}")
    assert fetched.body["data"]["items"][0]["price"] == 89.95
    deleted = api.delete(f"/v1/orders/{order_id}")
    assert deleted.body["data"]["deleted"] is True
    assert api.get(f"/v1/orders/{order_id}").body["data"]["deleted"] is True


def test_encoded_ids_and_unknown_methods(local_api: LocalApi) -> None:
    api, order_id = client(local_api), f"{new_id()}/a #ü"
    assert api.post("/v1/orders", {"order": {"id": order_id, "customer": {"id": "C"}}}).status == 201
    assert api.get("/v1/orders/" + quote(order_id, safe="")).body["data"]["id"] == order_id
    refused = api.request("PATCH", "/v1/orders")
    assert refused.status == 405
    assert "POST" in refused.headers["Allow"]
    assert refused.headers["Content-Type"].startswith("application/problem+json")


def test_fifty_concurrent_merges_keep_every_item(local_api: LocalApi) -> None:
    api, order_id = client(local_api), new_id()
    api.post("/v1/orders", {"order": {"id": order_id, "customer": {"id": "C"}}})

    def add(n: int) -> int:
        item = {"id": f"item-{n}", "name": f"Item {n}"}
        return api.post(
            "/v1/orders", {"order": {"id": order_id, "customer": {"id": "C"}, "items": [item]}}
        ).status

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(add, range(50)))
    assert statuses == [200] * 50
    order = api.get(f"/v1/orders/{order_id}").body["data"]
    assert len(order["items"]) == 50
    assert order["version"] == 51


def test_racing_status_moves_leave_a_consistent_history(local_api: LocalApi) -> None:
    api, order_id = client(local_api), new_id()
    api.post("/v1/orders", {"order": {"id": order_id, "customer": {"id": "C"}}})
    targets = ["paid", "canceled", "shipped", "processing"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda s: api.put(f"/v1/orders/{order_id}/status", {"status": s}), targets))
    assert all(r.status in (200, 409) for r in replies)
    order = api.get(f"/v1/orders/{order_id}").body["data"]
    history = [h["status"] for h in reversed(order["status_history"])]
    assert history
    assert order["status"] == history[-1]
    for before, after in zip(["placed", *history], history, strict=False):
        assert after in TRANSITIONS[before]
    assert sum(r.status == 200 for r in replies) == len(history)


def test_idempotency_and_if_match_over_http(local_api: LocalApi) -> None:
    api, order_id = client(local_api), new_id()
    body = {"order": {"id": order_id, "customer": {"id": "C"}}}
    headers = {"Idempotency-Key": f"key-{order_id}"}
    first = api.post("/v1/orders", body, headers)
    replay = api.post("/v1/orders", body, headers)
    assert (first.status, replay.status) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.body == first.body
    assert api.post("/v1/orders", {"order": {**body["order"], "note": "x"}}, headers).status == 422
    stale = api.post("/v1/orders", {"order": {**body["order"], "note": "x"}}, {"If-Match": '"9"'})
    assert stale.status == 412
    assert api.get(f"/v1/orders/{order_id}").body["data"]["version"] == 1


def test_batch_stores_the_good_orders_only(local_api: LocalApi) -> None:
    api, good, bad = client(local_api), new_id(), new_id()
    reply = api.post(
        "/v1/orders/batch", {"orders": [{"id": good, "customer": {"id": "C"}}, {"id": bad, "customer": {}}]}
    )
    assert [r["status"] for r in reply.body["data"]] == [201, 422]
    assert api.get(f"/v1/orders/{good}").status == 200
    assert api.get(f"/v1/orders/{bad}").status == 404


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
order_like = st.fixed_dictionaries(
    {
        "order": st.fixed_dictionaries(
            {"id": st.text(max_size=5), "customer": json_values}, optional={"items": json_values}
        )
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(json_values, order_like), path=st.sampled_from(["/v1/orders", "/v1/orders/batch"]))
def test_no_json_body_gives_a_server_error(local_api: LocalApi, body: Any, path: str) -> None:
    reply = client(local_api).post(path, json.dumps(body))
    assert reply.status < 500, reply.body
    if reply.status >= 400:
        assert reply.headers["Content-Type"].startswith("application/problem+json")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=64))
def test_no_bytes_give_a_server_error(local_api: LocalApi, raw: bytes) -> None:
    reply = client(local_api).request("POST", "/v1/orders", raw, {"Content-Type": "application/json"})
    assert 400 <= reply.status < 500
