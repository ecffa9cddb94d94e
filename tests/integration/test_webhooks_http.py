"""Events and webhooks over real HTTP: a receiver on 127.0.0.1, signatures checked with standardwebhooks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from standardwebhooks import Webhook

from testkit.webhooks import Receiver, receiving
from tests.integration.conftest import LocalApi


@pytest.fixture
def receiver_factory() -> Iterator[Callable[[int], Receiver]]:
    with ExitStack() as stack:
        yield lambda failures=0: stack.enter_context(receiving(failures))


def wait_for(check: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def register(local_api: LocalApi, url: str, events: list[str], key: str = "local-dev-key") -> dict[str, Any]:
    reply = local_api.client(key).post("/v1/webhooks", {"url": url, "events": events})
    assert reply.status == 201, reply.body
    return reply.body["data"]


def delivered(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Every 2xx-answered body, each verified with the standardwebhooks package."""
    verifier = Webhook(secret)
    return [verifier.verify(body, headers) for headers, body in receiver.received]


def test_changes_arrive_signed_and_on_the_bus_once_in_order(
    local_api: LocalApi, receiver_factory: Callable[[int], Receiver]
) -> None:
    receiver = receiver_factory(0)
    hook = register(local_api, receiver.url, ["*"])
    shop = local_api.client("local-dev-key")
    order = {"order": {"id": "wh-1", "customer": {"id": "C1", "email": "c1@example.com"}}}
    assert shop.post("/v1/orders", order).status == 201
    assert shop.post("/v1/orders", order).status == 200  # changes nothing: no event
    assert shop.put("/v1/orders/wh-1/status", {"status": "paid"}).status == 200
    assert shop.delete("/v1/orders/wh-1").status == 200
    wanted = ["order.created", "order.status_changed", "order.deleted"]

    # At least once: a receiver may see an event twice, and dedupes by webhook-id. The webhook takes
    # every event of the client, also those of earlier tests' orders that the stream brings after it
    # was registered, so only this order's count.
    def of_this_order() -> dict[str, dict[str, Any]]:
        return {
            e["id"]: e
            for e in delivered(receiver, hook["secret"])
            if e["data"].get("order", {}).get("id") == "wh-1"
        }

    wait_for(lambda: len(of_this_order()) >= 3)
    events = delivered(receiver, hook["secret"])
    unique = of_this_order()
    assert sorted(e["type"] for e in unique.values()) == sorted(
        wanted
    )  # webhooks promise no order; the bus does
    assert all(h["webhook-id"] == e["id"] for (h, _), e in zip(receiver.received, events, strict=True))

    def on_bus() -> list[dict[str, Any]]:
        events = shop.get("/_local/events").body["data"]
        return [e for e in events if e["data"].get("order", {}).get("id") == "wh-1"]

    # The bus and the deliveries are fed by the same batch, in no promised order between them.
    wait_for(lambda: len(on_bus()) >= 3)
    assert [e["type"] for e in on_bus()] == wanted
    assert len({e["id"] for e in on_bus()}) == 3
    deliveries = shop.get(f"/v1/webhooks/{hook['id']}/deliveries").body["data"]
    assert {d["status_code"] for d in deliveries} == {204}
    assert shop.delete(f"/v1/webhooks/{hook['id']}").status == 200


def test_a_failing_endpoint_gets_the_event_later_with_the_same_id(
    local_api: LocalApi, receiver_factory: Callable[[int], Receiver]
) -> None:
    receiver = receiver_factory(2)
    hook = register(local_api, receiver.url, ["order.created"])
    shop = local_api.client("local-dev-key")
    assert shop.post("/v1/orders", {"order": {"id": "wh-2", "customer": {"id": "C1"}}}).status == 201
    assert shop.put("/v1/orders/wh-2/status", {"status": "paid"}).status == 200
    wait_for(lambda: len(receiver.received) >= 3, 30)
    ids = {headers["webhook-id"] for headers, _ in receiver.received}
    assert len(ids) == 1  # one event, three attempts; the status change was not subscribed to
    assert json.loads(receiver.received[-1][1])["type"] == "order.created"
    Webhook(hook["secret"]).verify(receiver.received[-1][1], receiver.received[-1][0])
    attempts = shop.get(f"/v1/webhooks/{hook['id']}/deliveries").body["data"]
    assert [a["status_code"] for a in attempts] == [204, 500, 500]
    assert shop.delete(f"/v1/webhooks/{hook['id']}").status == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/",
        "https://10.0.0.1/",
        "https://[::ffff:127.0.0.1]/",
        "https://localhost/",
        "https://2130706433/",
        "http://example.com/hook",
    ],
)
def test_unsafe_urls_are_refused(local_api: LocalApi, url: str) -> None:
    reply = local_api.client("local-dev-key").post("/v1/webhooks", {"url": url, "events": ["*"]})
    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == "url"


def test_unknown_event_types_are_refused(local_api: LocalApi) -> None:
    reply = local_api.client("local-dev-key").post(
        "/v1/webhooks", {"url": "http://127.0.0.1:9/", "events": ["order.shipped"]}
    )
    assert reply.status == 422


def test_another_clients_webhook_is_not_found(local_api: LocalApi) -> None:
    hook = register(local_api, "http://127.0.0.1:9/", ["*"])
    other = local_api.client("other-key")
    assert other.get(f"/v1/webhooks/{hook['id']}").status == 404
    assert other.get(f"/v1/webhooks/{hook['id']}/deliveries").status == 404
    assert other.delete(f"/v1/webhooks/{hook['id']}").status == 404
    assert "secret" not in local_api.client("local-dev-key").get(f"/v1/webhooks/{hook['id']}").body["data"]
    assert local_api.client("local-dev-key").delete(f"/v1/webhooks/{hook['id']}").status == 200
