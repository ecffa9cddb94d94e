"""Capacity per operation for orders of 2 and 100 items, recorded, for the report's scaling table.

For each size, through the real handlers in-process against moto (as bench/scenarios.py calls
them): a new order delivered 8 days ago is created (so its invitation is due and it enters the
due index), 99 more like it are created, then one GET, one list page at the default limit, and
one mailer run that sends the 100 invitations. The capacity of each is computed from the item
images (bench/capacity.py); the report turns it into rates by DynamoDB's partition limits.
The mailer's schedule and timeout are read from template.yaml.

    python -m bench.scaling
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from orders_api.app.mailer import STOP_MARGIN_MS
from orders_api.store.keys import DUE_SHARDS

from bench import output
from bench.capacity import SPREADS, Capacity, total, write_units_by_index
from bench.recorder import Call
from bench.scenarios import TABLES, moto_session, order_body
from testkit import TEMPLATE
from testkit.mailer import run as run_mailer
from testkit.mailer import workers

SIZES = (2, 100)
PAGE = 100
DELIVERED_DAYS_AGO = 8
_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86_400}


def interval_seconds(expression: str) -> int:
    """Seconds between runs of a `rate(...)` schedule expression."""
    found = _RATE.fullmatch(expression)
    if found is None:
        raise ValueError(f"not a rate expression: {expression}")
    return int(found[1]) * _SECONDS[found[2].rstrip("s")]


def _body(order_id: str, items: int) -> dict[str, Any]:
    body = order_body(order_id, items)
    delivered = (datetime.now(UTC) - timedelta(days=DELIVERED_DAYS_AGO)).date().isoformat()
    for item in body["order"]["items"]:
        item["delivery_date"] = delivered
    return body


def _spent(calls: list[Call], per: int = 1) -> dict[str, Any]:
    spent: Capacity = total(calls, TABLES)
    return {
        "calls": len(calls) / per,
        "read_units": spent.read_units / per,
        "write_units": {name: units / per for name, units in write_units_by_index(spent).items()},
    }


def measure(items: int) -> dict[str, Any]:
    with moto_session() as (api, recorder):

        def recorded(method: str, path: str, expected: int, **options: Any) -> list[Call]:
            with recorder.recording() as calls:
                reply = api.call(method, path, **options)
            if reply.status != expected:
                raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.text[:500]}")
            return calls

        create = recorded("POST", "/v1/orders", 201, body=_body("O0", items))
        for number in range(1, PAGE):
            recorded("POST", "/v1/orders", 201, body=_body(f"O{number}", items))
        get = recorded("GET", "/v1/orders/O0", 200)
        page = recorded("GET", "/v1/orders", 200)
        with (
            workers(1),  # each call's item images are read around it: no other call may interleave
            recorder.recording() as mailer,
            open(os.devnull, "w", encoding="utf-8") as sink,
            contextlib.redirect_stdout(sink),
        ):
            summary = run_mailer(datetime.now(UTC))
        if summary["sent"] != PAGE or summary["errors"]:
            raise RuntimeError(f"the mailer did not send every invitation: {summary}")
    return {
        "items": items,
        "create": _spent(create),
        "get": _spent(get),
        "list_page": {**_spent(page), "orders": PAGE},
        "email": _spent(mailer, per=PAGE),
    }


def run() -> dict[str, Any]:
    mailer = TEMPLATE.scheduled_function()
    if mailer is None:
        raise RuntimeError("the template schedules no function")
    schedule = TEMPLATE.parameters["MailerSchedule"]
    if set(SPREADS) - {"table"} != {index.name for table in TABLES.values() for index in table.indexes}:
        raise RuntimeError("bench/capacity.py's SPREADS does not name the template's indexes")
    return {
        "sizes": [measure(items) for items in SIZES],
        "due_shards": DUE_SHARDS,
        "mailer": {
            "schedule": schedule,
            "interval_s": interval_seconds(schedule),
            "timeout_s": mailer.timeout,
            "stop_margin_s": STOP_MARGIN_MS / 1000,
        },
    }


def main() -> None:
    output.part(__doc__, run)


if __name__ == "__main__":
    main()
