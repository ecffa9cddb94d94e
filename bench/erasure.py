"""Erasing one customer with 10,000 orders: the DynamoDB calls, and the time with DynamoDB's latency.

In-process against moto, the orders seeded as the handler tests seed them (testkit.privacy).
The erase function's handler gets the sample event of its route (events/erase_customer.json)
for a fresh customer, twice: as moto answers, then with --latency-ms slept before every DynamoDB
call (a botocore event handler; sleeping frees the GIL as a network wait does, so the parallel
writes overlap as they do against DynamoDB). The Lambda context gives it all the time it wants:
this measures the work, the 29 s guard is tested in tests/handlers.

What the handler spends is told apart from what moto spends: the process's CPU time less the CPU
the calling threads spent inside DynamoDB calls. The projection for the deployed function adds up
two things: the waits (calls / parallel writes x latency) and the handler's own CPU on the share
of a vCPU Lambda gives the function's memory (1,769 MB is one). Threads overlap the two, so the
time lies between the longer of them and their sum.

    python -m bench.erasure [--orders 10000] [--latency-ms 8]
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from orders_api.adapters import aws
from orders_api.app.privacy import PARALLEL_WRITES, STOP_MARGIN_MS

from bench import output
from bench.clock import cpu_in_calls
from bench.scenarios import moto_session
from testkit import TEMPLATE, Context, counting_calls, handler_module
from testkit.privacy import customer_with_orders

FUNCTION = "EraseCustomerFunction"
SAMPLE = TEMPLATE.path.parent / "events" / "erase_customer.json"
PROJECTED_ORDERS = 10_000
MB_PER_VCPU = 1769
API_LIMIT_S = 29


def erase_event(customer_id: str) -> dict[str, Any]:
    """The route's sample event, as API Gateway sends it, for another customer of the demo client."""
    event: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    sample_id = event["pathParameters"]["customer_id"]
    event["pathParameters"]["customer_id"] = customer_id
    for owner, field in ((event, "path"), (event["requestContext"], "path")):
        owner[field] = owner[field].replace(f"/customers/{sample_id}/", f"/customers/{customer_id}/")
    return event


@contextmanager
def latency(seconds: float) -> Iterator[None]:
    """Every DynamoDB call of the functions waits `seconds` first, as for the network and DynamoDB."""

    def wait(**_: Any) -> None:
        time.sleep(seconds)

    events = aws.dynamodb().meta.events
    events.register("before-call.dynamodb", wait)
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb", wait)


def erase(customer_id: str, orders: int, wait_s: float) -> dict[str, Any]:
    """One erasure of a customer with `orders` orders: its answer checked, its calls and times."""
    with (
        latency(wait_s),
        counting_calls() as calls,
        cpu_in_calls(aws.dynamodb()) as in_moto,
    ):
        cpu, started = time.process_time(), time.perf_counter()
        response = handler_module(FUNCTION).lambda_handler(erase_event(customer_id), Context(3_600_000))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    answer = json.loads(response["body"])
    if response["statusCode"] != 200 or answer["data"]["orders"] != orders:
        raise RuntimeError(f"the erasure did not erase {orders} orders: {response['statusCode']} {answer}")
    return {
        "seconds": round(seconds, 2),
        "orders_per_second": round(orders / seconds),
        "cpu_seconds": round(cpu, 2),
        "cpu_seconds_in_moto": round(in_moto.get("dynamodb", 0.0), 2),
        "calls": dict(calls),
    }


def run(orders: int, latency_ms: int) -> dict[str, Any]:
    memory = TEMPLATE.functions[FUNCTION].memory_size
    with moto_session() as (api, _):
        started = time.perf_counter()
        customer_with_orders(api, "bench-moto", orders)
        customer_with_orders(api, "bench-latency", orders)
        seeded = time.perf_counter() - started
        as_moto = erase("bench-moto", orders, 0.0)
        with_latency = erase("bench-latency", orders, latency_ms / 1000)
    calls = sum(with_latency["calls"].values())
    own_cpu = max(0.0, with_latency["cpu_seconds"] - with_latency["cpu_seconds_in_moto"])
    scale = PROJECTED_ORDERS / orders
    waits = calls / PARALLEL_WRITES * latency_ms / 1000 * scale
    handler_cpu = own_cpu * MB_PER_VCPU / memory * scale
    return {
        "orders": orders,
        "latency_ms": latency_ms,
        "parallel_writes": PARALLEL_WRITES,
        "memory_mb": memory,
        "vcpus": round(memory / MB_PER_VCPU, 2),
        "seconds_to_seed": round(seeded, 1),
        "moto": as_moto,
        "with_latency": with_latency,
        "calls_per_order": round(calls / orders, 3),
        "projected": {
            "orders": PROJECTED_ORDERS,
            "waits_seconds": round(waits, 1),
            "handler_cpu_seconds": round(handler_cpu, 1),
            "seconds_overlapped": round(max(waits, handler_cpu), 1),
            "seconds_in_turn": round(waits + handler_cpu, 1),
            "budget_seconds": API_LIMIT_S - STOP_MARGIN_MS / 1000,
        },
    }


def main() -> None:
    output.part(__doc__, run, orders=PROJECTED_ORDERS, latency_ms=8)


if __name__ == "__main__":
    main()
