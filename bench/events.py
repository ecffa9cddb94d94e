"""Events and webhooks: what the events function costs per write, and how soon a webhook arrives locally.

Cost, in moto: a mix of writes (creates, updates, status moves with cancels, deletes, an erasure, the
mailer's invitations), with one webhook subscribed to every event. The events function reads the
stream as its event source mapping does (the template's BatchSize and filter, the local runtime's
StreamPoller), and per write we count its invocations, PutEvents calls and their entries, SQS
messages queued for the webhook and DynamoDB calls. Once drained after every write (a quiet shop:
each write a batch of its own, the most invocations) and once after all of them (a busy one: full
batches, the fewest).

Latency, locally: `python -m orders_local` as `make run` starts it, a receiver on 127.0.0.1
subscribed to every event, orders created one after another; each from the create's 2xx answer to
its signed order.created's arrival.

    python -m bench.events [--orders 40] [--deliveries 50]
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from orders_api import settings
from orders_api.adapters import aws
from orders_local.polling import EVENT_SOURCE_INTERVAL
from orders_local.stream import StreamPoller

from bench import output
from bench.scenarios import moto_session
from bench.stats import summarize
from testkit import TEMPLATE, Api, counting_calls
from testkit.events import stream_poller
from testkit.functions import FUNCTIONS
from testkit.local import start_local_api
from testkit.mailer import SEND_AT, TODAY
from testkit.mailer import run as run_mailer
from testkit.webhooks import receiving

EVENTS_FUNCTION = "EventsFunction"
# A webhook the bench never delivers to: only the messages queued for it are counted.
HOOK = "http://127.0.0.1:9/hook"
SPACING_S = 0.5
ARRIVAL_TIMEOUT_S = 60.0


def _order(number: int, name: str = "Trail shoe") -> dict[str, Any]:
    return {
        "order": {
            "id": f"E{number}",
            "customer": {"id": f"C{number}", "email": f"c{number}@example.com"},
            "items": [{"id": "SKU-1", "name": name, "delivery_date": TODAY.isoformat()}],
            "invitation": {"delay": {"unit": "days", "amount": 1}},
        }
    }


def _call(api: Api, method: str, path: str, body: Any = None) -> None:
    reply = api.call(method, path, body=body)
    if reply.status not in (200, 201):
        raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.text[:300]}")


def _writes(api: Api, orders: int) -> Iterator[str]:
    """Makes the writes one by one, naming each; the mailer's run is one step of several writes."""
    for number in range(orders):
        _call(api, "POST", "/v1/orders", _order(number))
        yield "create"
        if number % 4 == 0:
            _call(api, "POST", "/v1/orders", _order(number, "Trail shoe, blue"))
            yield "update"
        elif number % 4 == 1:
            _call(api, "PUT", f"/v1/orders/E{number}/status", {"status": "paid"})
            yield "status move"
        elif number % 4 == 2:
            _call(api, "PUT", f"/v1/orders/E{number}/status", {"status": "canceled"})
            yield "cancel"
        else:
            _call(api, "DELETE", f"/v1/orders/E{number}")
            yield "delete"
    _call(api, "POST", "/v1/customers/C0/erase")
    yield "erasure"
    summary = run_mailer(SEND_AT)
    yield f"mailer send x{summary.get('sent', 0)}"


@contextmanager
def _counting() -> Iterator[Counter[str]]:
    """PutEvents calls and entries, SendMessageBatch calls and messages, as the functions send them."""
    counts: Counter[str] = Counter()

    def put_events(params: dict[str, Any], **_: Any) -> None:
        counts["put_events_calls"] += 1
        counts["put_events_entries"] += len(params["Entries"])

    def send_batch(params: dict[str, Any], **_: Any) -> None:
        counts["sqs_batches"] += 1
        counts["sqs_messages"] += len(params["Entries"])

    hooks = (
        (aws.events(), "before-parameter-build.events.PutEvents", put_events),
        (aws.sqs(), "before-parameter-build.sqs.SendMessageBatch", send_batch),
    )
    for client, event, hook in hooks:
        client.meta.events.register(event, hook)
    try:
        yield counts
    finally:
        for client, event, hook in hooks:
            client.meta.events.unregister(event, hook)


def _drain(poller: StreamPoller, calls: Counter[str]) -> tuple[int, int]:
    """Polls until the stream has nothing new: (records read, events function invocations).

    The events function's DynamoDB calls are added to `calls`.
    """
    records, invoked = 0, len(FUNCTIONS.invoked)
    with counting_calls() as counted:
        while handled := poller.poll_once():
            records += handled
    calls.update(counted)
    return records, sum(1 for name, _ in FUNCTIONS.invoked[invoked:] if name == EVENTS_FUNCTION)


def _cost(orders: int, drain_each: bool) -> dict[str, Any]:
    with moto_session() as (api, _), _counting() as counts:
        os.environ["WEBHOOKS_ALLOW_LOCAL_HTTP"] = "true"
        settings.reload()
        _call(api, "POST", "/v1/webhooks", {"url": HOOK, "events": ["*"]})
        poller = stream_poller()
        while poller.poll_once():
            pass  # the clients' and the webhook's records: filtered out, no invocation
        counts.clear()
        writes: Counter[str] = Counter()
        calls: Counter[str] = Counter()
        records = invocations = 0
        for kind in _writes(api, orders):
            name, _, times = kind.partition(" x")
            writes[name] += int(times or 1)
            if drain_each or name == "mailer send":
                read, invoked = _drain(poller, calls)
                records, invocations = records + read, invocations + invoked
        read, invoked = _drain(poller, calls)
        records, invocations = records + read, invocations + invoked
        total = sum(writes.values())
        return {
            "writes": dict(writes),
            "stream_records": records,
            "per_write": {
                "invocations": invocations / total,
                "put_events_calls": counts["put_events_calls"] / total,
                "sqs_messages": counts["sqs_messages"] / total,
                "sqs_batches": counts["sqs_batches"] / total,
                "dynamodb_calls": sum(calls.values()) / total,
            },
            "entries_per_put_events": counts["put_events_entries"] / max(1, counts["put_events_calls"]),
            "events": counts["put_events_entries"],
            "dynamodb_calls": dict(calls),
        }


def _latency(deliveries: int) -> dict[str, Any]:
    api = start_local_api()
    try:
        shop = api.client(next(iter(api.keys.values())))
        with receiving() as receiver:
            reply = shop.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]})
            if reply.status != 201:
                raise RuntimeError(f"webhook not registered: {reply.status} {reply.body}")
            answered: dict[str, float] = {}
            for number in range(deliveries):
                time.sleep(SPACING_S)
                order_id = f"L{number}"
                body = {"order": {"id": order_id, "customer": {"id": f"C{number}"}}}
                if shop.post("/v1/orders", body).status != 201:
                    raise RuntimeError(f"create {order_id} failed")
                answered[order_id] = time.monotonic()
            deadline = time.monotonic() + ARRIVAL_TIMEOUT_S
            while len(receiver.first_arrival) < deliveries and time.monotonic() < deadline:
                time.sleep(0.1)
            arrived = {
                json.loads(body)["data"]["order"]["id"]: receiver.first_arrival[headers["webhook-id"]]
                for headers, body in list(receiver.received)
            }
    finally:
        api.stop()
    late = [order_id for order_id in answered if order_id not in arrived]
    if late:
        raise RuntimeError(f"{len(late)} webhooks did not arrive within {ARRIVAL_TIMEOUT_S:.0f} s")
    return {
        "deliveries": deliveries,
        "spacing_s": SPACING_S,
        "poll_interval_s": EVENT_SOURCE_INTERVAL,
        "seconds": summarize([arrived[o] - answered[o] for o in answered]),
    }


def run(orders: int, deliveries: int) -> dict[str, Any]:
    source = TEMPLATE.functions[EVENTS_FUNCTION].streams[0]
    # The functions' metrics lines (printed, as Lambda's EMF is) go nowhere.
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        quiet, busy = _cost(orders, drain_each=True), _cost(orders, drain_each=False)
    return {"batch_size": source.batch_size, "quiet": quiet, "busy": busy, "latency": _latency(deliveries)}


if __name__ == "__main__":
    output.part(__doc__, run, orders=40, deliveries=50)
