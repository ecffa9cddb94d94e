"""GET /v1/orders over real HTTP against `make run`, while other requests write orders."""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

if TYPE_CHECKING:
    from tests.integration.conftest import ApiClient, LocalApi


def target(link: str) -> str:
    """links.next as a path the client can send, whether absolute or from the API root."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def walk(client: ApiClient, query: dict[str, str]) -> list[str]:
    reply = client.get("/v1/orders?" + urlencode(query, quote_via=quote))
    seen: list[str] = []
    while True:
        assert reply.status == 200, reply.body
        assert len(reply.body["data"]) <= int(query["limit"])
        seen.extend(order["id"] for order in reply.body["data"])
        link = reply.body["links"]["next"]
        if link is None:
            return seen
        reply = client.get(target(link))


def order(order_id: str, customer_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": order_id, "customer": {"id": customer_id, "email": f"{customer_id}@example.com"}, **fields}


def seed(client: ApiClient, customer_id: str, count: int) -> set[str]:
    ids = [f"{customer_id}/{number:03}#x" for number in range(count)]
    reply = client.post("/v1/orders/batch", {"orders": [order(i, customer_id) for i in ids]})
    assert reply.status == 200, reply.body
    assert {result["status"] for result in reply.body["data"]} == {201}
    return set(ids)


def test_paging_while_orders_are_written_never_repeats_or_skips(local_api: LocalApi) -> None:
    client = local_api.client(local_api.keys["demo"])
    customer_id = f"walker-{uuid.uuid4().hex[:8]}"
    existing = seed(client, customer_id, 60)
    stop = threading.Event()
    written: list[str] = []
    failures: list[Any] = []

    def writer() -> None:
        """New orders, merges, status moves and deletes of the orders being listed."""
        number = 0
        victims = sorted(existing)
        while not stop.is_set():
            new_id = f"{customer_id}/new{number:03}"
            replies = [
                client.post("/v1/orders", {"order": order(new_id, customer_id)}),
                client.post(
                    "/v1/orders",
                    {"order": order(victims[number % 60], customer_id, items=[{"id": f"I{number}"}])},
                ),
                client.put(
                    f"/v1/orders/{quote(victims[(number * 7) % 60], safe='')}/status", {"status": "paid"}
                ),
            ]
            if number % 5 == 0:
                replies.append(client.delete(f"/v1/orders/{quote(victims[(number * 11) % 60], safe='')}"))
            failures.extend(reply for reply in replies if reply.status >= 300)
            written.append(new_id)
            number += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        walks = [
            walk(client, {"limit": "7", "customer_id": customer_id, "include_deleted": "true"}),
            walk(
                client,
                {"limit": "9", "customer_id": customer_id, "include_deleted": "true", "sort": "created_at"},
            ),
            walk(
                client,
                {
                    "limit": "11",
                    "customer_email": f"{customer_id.upper()}@example.com",
                    "include_deleted": "true",
                },
            ),
        ]
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert written
    for seen in walks:
        assert len(seen) == len(set(seen))
        assert existing <= set(seen)
        assert set(seen) <= existing | set(written)


def test_another_clients_orders_never_appear(local_api: LocalApi) -> None:
    demo = local_api.client(local_api.keys["demo"])
    other = local_api.client(local_api.keys["other"])
    customer_id = f"private-{uuid.uuid4().hex[:8]}"
    seed(demo, customer_id, 3)
    assert walk(other, {"limit": "2", "customer_id": customer_id}) == []
    first = demo.get(f"/v1/orders?limit=1&customer_id={customer_id}").body["links"]["next"]
    refused = other.get(target(first))
    assert refused.status == 400
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.body["errors"][0]["field"] == "after"


def test_invalid_parameters_are_problems_over_http(local_api: LocalApi) -> None:
    client = local_api.client(local_api.keys["demo"])
    for query, status, field in (
        ("limit=0", 422, "limit"),
        ("limit=1001", 422, "limit"),
        ("created_after=2021-10-01T10:00:00", 422, "created_after"),
        ("sort=newest", 422, "sort"),
        ("after=bogus", 400, "after"),
    ):
        reply = client.get(f"/v1/orders?{query}")
        assert reply.status == status, reply.body
        assert [error["field"] for error in reply.body["errors"]] == [field]
