"""The mailer at scale: 20,000 orders of which 200 are due, SES and DynamoDB in moto.

One metered run counts the DynamoDB calls, the order items and index entries read
and the capacity per email sent; then timed runs, each after the same 200 orders are
made due again, give emails per second, with the time inside DynamoDB and SES calls
(moto's, not AWS's) told apart from the mailer's own. The orders are put as the
scale test in tests/handlers/test_mailer.py puts them (testkit.mailer.bulk_orders).

    python -m bench.mailer [--runs 5]
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from typing import Any

from orders_api.adapters import aws
from orders_api.store import keys
from orders_api.store.orders import Repository

from bench import output
from bench.capacity import total
from bench.clock import time_in_calls
from bench.recorder import Call
from bench.scenarios import TABLES, moto_session
from bench.stats import summarize
from testkit import counting_calls
from testkit.mailer import SEND_AT, bulk_orders
from testkit.mailer import run as run_mailer

ORDERS = 20_000
DUE = 200
FUTURE = 9_800


def _reads(calls: list[Call]) -> tuple[int, int]:
    """(order items read from the table, index entries read)."""
    orders = entries = 0
    for call in calls:
        if call.operation == "GetItem":
            item = call.response.get("Item")
            orders += bool(item and item["sk"]["S"] == keys.ORDER_SK)
        elif call.operation == "Query" and "IndexName" in call.params:
            entries += len(call.evaluated)
        elif call.operation == "Query" and call.params["ExpressionAttributeValues"].get(":prefix") == {
            "S": "TEMPLATE#"
        }:
            continue  # a client's own email templates: one Query per client a run, no order read
        elif call.operation in ("Query", "BatchGetItem"):
            raise RuntimeError(f"the mailer made an unexpected {call.operation}; count its reads here")
    return orders, entries


def _quiet_run() -> dict[str, Any]:
    """A mailer run; its metrics line (printed, as Lambda's EMF is) goes nowhere."""
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        summary: dict[str, Any] = run_mailer(SEND_AT)
    if (summary["due"], summary["sent"], summary["errors"]) != (DUE, DUE, 0):
        raise RuntimeError(f"the mailer did not send every due email: {summary}")
    return summary


def run(runs: int) -> dict[str, Any]:
    with moto_session() as (_, recorder):
        repository = Repository()
        started = time.perf_counter()
        bulk_orders(repository, due=DUE, future=FUTURE, idle=ORDERS - DUE - FUTURE)
        seeded = time.perf_counter() - started
        with recorder.recording() as calls:
            _quiet_run()
        orders_read, entries_read = _reads(calls)
        spent = total(calls, TABLES)
        seconds: list[float] = []
        inside: list[dict[str, float]] = []
        counted: Counter[str] = Counter()
        for _ in range(runs):
            bulk_orders(repository, due=DUE, future=0, idle=0)
            with counting_calls() as counts, time_in_calls(aws.dynamodb(), aws.sesv2()) as clock:
                started = time.perf_counter()
                _quiet_run()
                seconds.append(time.perf_counter() - started)
            inside.append(dict(clock))
            counted = Counter(counts)
    own = [s - sum(c.values()) for s, c in zip(seconds, inside, strict=True)]
    return {
        "orders": ORDERS,
        "due": DUE,
        "runs": runs,
        "seconds_to_seed": round(seeded, 1),
        "calls": dict(Counter(call.operation for call in calls)),
        "calls_timed_run": dict(counted),
        "order_items_read": orders_read,
        "index_entries_read": entries_read,
        "order_items_read_per_email": orders_read / DUE,
        "read_units_per_email": spent.read_units / DUE,
        "write_units_per_email": spent.write_units / DUE,
        "index_write_units_per_email": {name: units / DUE for name, units in spent.index_write_units.items()},
        "seconds_per_run": summarize(seconds),
        "emails_per_second": summarize([DUE / s for s in seconds]),
        "own_emails_per_second": summarize([DUE / s for s in own]),
        "seconds_in_dynamodb": summarize([c.get("dynamodb", 0.0) for c in inside]),
        "seconds_in_ses": summarize([c.get("sesv2", 0.0) for c in inside]),
        "seconds_in_mailer_code": summarize(own),
    }


def main() -> None:
    output.part(__doc__, run, runs=5)


if __name__ == "__main__":
    main()
