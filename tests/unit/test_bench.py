"""The benchmark harness without running it: its modules import, its report renders every section
from a tiny fake result set, and its capacity and import-time arithmetic hold. Nothing is timed."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import Any

import pytest

import bench
from bench import capacity, report
from bench.capacity import Index, Mailer, Table, index_writes, item_size
from bench.coldstart import STACK, by_package, parse_importtime
from bench.recorder import Write
from bench.scenarios import LIST_PAGE


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(bench.__path__)))
def test_every_bench_module_imports(name: str) -> None:
    if name == "peer_fastapi" and importlib.util.find_spec("fastapi") is None:
        pytest.skip("the FastAPI peer needs the bench extra")
    importlib.import_module(f"bench.{name}")


def summary(median: float) -> dict[str, float]:
    return {
        "n": 3,
        "median": median,
        "min": median * 0.9,
        "max": median * 1.2,
        "p25": median * 0.95,
        "p75": median * 1.1,
        "p95": median * 1.15,
    }


def cost_route(route: str, items: int | None, calls: dict[str, int]) -> dict[str, Any]:
    return {
        "route": route,
        "function": route,
        "items": items,
        "status": 200,
        "calls": calls,
        "read_units": 1.0,
        "write_units": 2.0,
        "index_write_units": {"by_created": 2.0},
        "total_write_units": 4.0,
    }


def fake_results() -> dict[str, Any]:
    functions = report.FUNCTIONS
    latency = {"deliveries": 5, "spacing_s": 0.5, "poll_interval_s": 0.2, "seconds": summary(0.3)}
    cold: dict[str, Any] = {
        "floor": {"import_ms": summary(200), "clients_ms": summary(0), "total_ms": summary(200)}
    }
    for function in functions:
        ratio = 1.2 if function == "get_order" else 2.0
        cold[function] = {
            "import_ms": summary(200 * ratio - 50),
            "clients_ms": summary(50),
            "total_ms": summary(200 * ratio),
            "ratio_to_floor": summary(ratio),
        }
    cold["get_order"]["ratio_to_peer"] = summary(0.8)
    cold["peer"] = {**cold["get_order"], "total_ms": summary(300), "ratio_to_floor": summary(1.5)}
    for name, ratio in zip(STACK, (1.3, 1.7), strict=True):
        cold[name] = {**cold["floor"], "total_ms": summary(200 * ratio), "ratio_to_floor": summary(ratio)}
    imports = {
        function: {
            "packages": [
                {
                    "package": "pydantic",
                    "ms": 60.0,
                    "floor_ms": 0.0,
                    "excess_ms": 60.0,
                    "via": "orders_api.domain.models",
                }
            ],
            "own_modules": [{"module": "orders_api.domain.models", "ms": 40.0}],
        }
        for function in functions
    }
    routes = [
        cost_route("get_order", 1, {"GetItem": 1}),
        cost_route("update_order_status", 1, {"GetItem": 1, "PutItem": 1}),
        cost_route("list_orders", 1, {"Query": 1}),
        cost_route("authorizer", None, {"GetItem": 2}),
    ]
    return {
        "machine": {
            "date": "2026-01-01 00:00 UTC",
            "cpus": 2,
            "cpu_model": "test CPU",
            "python": "3.11.7",
            "implementation": "CPython",
            "platform": "Linux x86_64",
        },
        "seconds": 300,
        "coldstart": {
            "rounds": 3,
            "peer_measured": True,
            "clients": {f: ["dynamodb"] for f in functions},
            "cached": cold,
            "deployed": {
                name: {**entry, "total_ms": summary(entry["total_ms"]["median"] + 100)}
                for name, entry in cold.items()
                if name != "peer"
            },
            "compile_ms": {name: summary(100) for name in ("floor", *functions)},
            "imports": imports,
        },
        "warm": {
            "invocations": 10,
            "warmup": 2,
            "routes": [
                {"route": "get_order", "function": "get_order", "items": 1, "ms": summary(0.5)},
                {"route": "get_order", "function": "get_order", "items": 100, "ms": summary(3.0)},
                {"route": LIST_PAGE, "function": "list_orders", "items": 100, "ms": summary(7.5)},
                {"route": "authorizer", "function": "authorizer", "items": None, "ms": summary(0.3)},
                {"route": "peer (FastAPI + Mangum)", "function": "peer", "items": 1, "ms": summary(1.5)},
            ],
            "profiles": [
                {"route": "get_order", "items": 100, "top": [{"where": "pydantic_core", "share": 0.3}]}
            ],
        },
        "cost": {
            "routes": routes,
            "moto_check": [
                {"items": 1, "item_bytes": 1300, "computed_read_units": 1, "moto_read_units": 0.5}
            ],
        },
        "mailer": {
            "orders": 20_000,
            "due": 200,
            "runs": 2,
            "calls": {"Query": 8, "GetItem": 201, "PutItem": 400},
            "order_items_read": 200,
            "index_entries_read": 200,
            "order_items_read_per_email": 1.0,
            "read_units_per_email": 1.0,
            "write_units_per_email": 4.0,
            "index_write_units_per_email": {"due": 4.0},
            "seconds_per_run": summary(5.0),
            "emails_per_second": summary(40.0),
            "own_emails_per_second": summary(150.0),
            "seconds_in_dynamodb": summary(3.0),
            "seconds_in_ses": summary(0.5),
            "concurrent": {
                "workers": 16,
                "ses_latency_ms": 50.0,
                "rates": [
                    {
                        "max_send_rate": 1000.0,
                        "emails_per_second": summary(120.0),
                        "cpu_ms_per_email": summary(8.0),
                        "cpu_ms_per_email_in_dynamodb_calls": summary(6.0),
                        "cpu_ms_per_email_in_moto": summary(5.0),
                        "busiest_second": 130,
                    },
                    {
                        "max_send_rate": 14.0,
                        "emails_per_second": summary(13.3),
                        "cpu_ms_per_email": summary(9.0),
                        "cpu_ms_per_email_in_dynamodb_calls": summary(7.0),
                        "cpu_ms_per_email_in_moto": summary(6.0),
                        "busiest_second": 14,
                    },
                ],
            },
            "backlog": {
                "orders": 20_000,
                "run_seconds": 30,
                "runs": 7,
                "sent_per_run": [3000] * 6 + [2000],
                "seconds": 200.0,
                "emails_per_second": 100.0,
                "sent_twice": 0,
            },
        },
        "list_orders": {
            "orders": 10_000,
            "limit": 1000,
            "pages": 10,
            "dynamodb_calls": {"Query": 20},
            "seconds_total": 20.0,
            "seconds_per_page": {"median": 2.0, "max": 3.0},
            "seconds_in_dynamodb_calls": 18.0,
            "seconds_in_handler_code": 2.0,
            "largest_page_bytes": 1_200_000,
            "queries_per_page": [2] * 10,
            "read_bytes_per_page": [1_300_000] * 10,
            "seconds_to_seed": 25.0,
        },
        "scaling": {
            "sizes": [
                {
                    "items": items,
                    "create": {"calls": 2, "read_units": 2.0, "write_units": create},
                    "get": {"calls": 1, "read_units": 1.0, "write_units": {"table": 0.0}},
                    "list_page": {
                        "calls": 1,
                        "read_units": 20.0,
                        "write_units": {"table": 0.0},
                        "orders": 100,
                    },
                    "email": {"calls": 3.0, "read_units": 1.0, "write_units": email},
                }
                for items, create, email in (
                    (2, {"table": 6.0, "by_created": 2.0, "due": 1.0}, {"table": 4.0, "by_created": 4.0}),
                    (
                        100,
                        {"table": 82.0, "by_created": 40.0, "due": 1.0},
                        {"table": 82.0, "by_created": 82.0},
                    ),
                )
            ],
            "due_shards": 8,
            "mailer": {
                "schedule": "rate(5 minutes)",
                "interval_s": 300,
                "timeout_s": 300,
                "stop_margin_s": 20.0,
            },
        },
        "erasure": {
            "orders": 10_000,
            "latency_ms": 8,
            "parallel_writes": 16,
            "memory_mb": 1769,
            "vcpus": 1.0,
            "seconds_to_seed": 20.0,
            "moto": {
                "seconds": 60.0,
                "orders_per_second": 167,
                "cpu_seconds": 59.0,
                "cpu_seconds_in_moto": 47.0,
            },
            "with_latency": {
                "seconds": 62.0,
                "orders_per_second": 161,
                "cpu_seconds": 58.0,
                "cpu_seconds_in_moto": 46.0,
                "calls": {"UpdateItem": 1, "Query": 2, "GetItem": 10_000, "PutItem": 10_000},
            },
            "calls_per_order": 2.0,
            "projected": {
                "orders": 10_000,
                "waits_seconds": 10.0,
                "handler_cpu_seconds": 12.0,
                "seconds_overlapped": 12.0,
                "seconds_in_turn": 22.0,
                "budget_seconds": 24.0,
            },
        },
        "packages": {
            "method": "sam build",
            "layer": {
                "bytes": 14_000_000,
                "files": 1400,
                "zipped_bytes": 4_600_000,
                "largest": [{"entry": "pydantic_core", "bytes": 5_000_000}],
            },
            "functions": {f: {"bytes": 300, "files": 2, "zipped_bytes": 400} for f in functions},
        },
        "events": {
            "batch_size": 100,
            "quiet": events_cost(0.9),
            "busy": events_cost(0.05),
            "latency": latency,
        },
        "baseline": {
            "date": "2025-12-01 00:00 UTC",
            "warm": [
                {"route": "get_order", "function": "get_order", "items": 1, "ms": summary(0.4)},
                {"route": "peer (FastAPI + Mangum)", "function": "peer", "items": 1, "ms": summary(1.0)},
            ],
        },
    }


def events_cost(invocations: float) -> dict[str, Any]:
    return {
        "writes": {"create": 8, "update": 2, "cancel": 2, "mailer send": 3},
        "stream_records": 30,
        "per_write": {
            "invocations": invocations,
            "put_events_calls": invocations,
            "sqs_messages": 1.3,
            "sqs_batches": 0.2,
            "dynamodb_calls": invocations * 2,
        },
        "entries_per_put_events": 1.3 / invocations,
        "events": 20,
        "dynamodb_calls": {"Query": round(invocations * 30)},
    }


def test_the_report_has_every_section_and_says_what_misses_cost() -> None:
    text = report.render(fake_results())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Benchmark results",
        "## Targets",
        "## Per function",
        "## What the misses cost, and why",
        "## Cold start",
        "### Where the import time goes",
        "## Warm handler overhead",
        "## DynamoDB cost per route",
        "## Mailer",
        "## Listing every order of a customer",
        "## Scaling on paper",
        "## Erasing a customer with many orders",
        "## Events and webhooks",
        "## Package size",
    ]
    assert (
        "| cold start as deployed ≤ 1.3x floor: authorizer, fallback, get_order, list_orders, get_customer "
        "| 1 of 5 within; worst authorizer 2.00x (1.80-2.40) | **FAIL** |"
    ) in text
    assert "| cold start as deployed ≤ 1.6x floor, every other function | 0 of 16 within;" in text
    assert (
        "| as deployed = cached within 5%, every function | worst get_order 100 ms (+41.7%) | **FAIL** |"
        in text
    )
    assert "| GET: 1 DynamoDB call | 1 (1 item) | pass |" in text
    assert "| warm GET p50 < 1.50 ms, 100 items | 3.00 ms | **FAIL** |" in text
    assert "| warm list page p50 < 10.0 ms, 100 orders of 100 items | 7.50 ms | pass |" in text
    assert (
        "- create_order (2.00x (1.80-2.40)): +200 ms over the floor's 300 ms (the stack alone: 1.30x without "
        "validation, 1.70x with it)" in text
    )
    assert "| stack_writer | — |" in text
    assert "pydantic +60.0 ms (via orders_api.domain.models)" in text
    assert "| list page of 1000 (10,000 orders): ceil(page bytes / 1 MB) Queries | 20 for 20 | pass |" in text
    assert "10000 GetItem, 10000 PutItem, 2 Query, 1 UpdateItem; 2.00 an order" in text
    assert "(12.0 s) take 12.0 s if they overlap fully, 22.0 s if they take turns, within the 24.0 s" in text
    assert (
        "| 2 | new order | 6.00 | 2.00 | 0.00 | 0.00 | 1.00 | 500/s (by_created key) | 6,667/s (table quota) |"
        in text
    )
    assert (
        "| mailer: ≥ 100 emails/s at 50.0 ms SES latency | 120 (108-144) (MaxSendRate 1,000/s) | pass |"
        in text
    )
    assert "| mailer: never above MaxSendRate (14.0/s) | at most 14 sends in any second;" in text
    assert (
        "| mailer: 20,000 due emails all sent across runs, none twice | 20,000 sent in 7 runs of 30 s" in text
    )
    assert "7 runs (3000, 3000, 3000, 3000, 3000, 3000, 2000 sent)" in text


def test_a_slow_or_too_fast_mailer_fails_its_targets_and_says_why() -> None:
    results = fake_results()
    high, low = results["mailer"]["concurrent"]["rates"]
    high["emails_per_second"] = summary(40.0)
    high["cpu_ms_per_email"] = summary(25.0)
    low["busiest_second"] = 15
    text = report.render(results)
    assert (
        "| mailer: ≥ 100 emails/s at 50.0 ms SES latency | 40.0 (36.0-48.0) (MaxSendRate 1,000/s) | **FAIL** |"
        in text
    )
    assert "each email costs the mailer's process 25.0 ms of CPU" in text
    assert "moto's DynamoDB, answering from a process of its own, 5.00 ms" in text
    assert (
        "the run kept 100% and 20% of a CPU busy, and one whole CPU for each would allow about 40.0/s" in text
    )
    assert "In AWS an email costs the mailer about 25.0 ms" in text
    assert "| mailer: never above MaxSendRate (14.0/s) | at most 15 sends in any second;" in text
    assert "15 sends in one second at MaxSendRate 14.0/s" in text


def test_the_events_section_has_its_targets_and_the_warm_figures_against_the_committed_run() -> None:
    text = report.render(fake_results())
    wanted = [
        "| events function: ≤ 1.00 invocation per write | 0.90 | pass |",
        "| events function: ≤ 1.00 DynamoDB call per write | 1.80 | **FAIL** |",
        "| local webhook delivery p95 < 1.00 s | 0.34 s | pass |",
        "| SQS messages for the webhook | 1.30 | 1.30 |",
        "p50 0.30 s, p95 0.34 s",
        "| get_order | 1 | 0.40 | 0.50 | +25% |",
        "The FastAPI + Mangum peer, which no change of ours touches, moved +50% (1 item):",
    ]
    assert [line for line in wanted if line not in text] == []


def test_item_size_counts_names_and_values() -> None:
    assert item_size({"pk": {"S": "abc"}, "n": {"N": "123"}, "ok": {"BOOL": True}}) == (2 + 3) + (1 + 3) + (
        2 + 1
    )


def test_an_order_write_writes_each_index_whose_keys_it_carries() -> None:
    table = Table(
        "T",
        ("pk", "sk"),
        (
            Index("by_created", ("c_pk", "c_sk"), "ALL"),
            Index("by_email", ("e_pk", "e_sk"), "ALL"),
            Index("due", ("d_pk", "d_sk"), "KEYS_ONLY"),
        ),
    )
    keys = {"pk": {"S": "O1"}, "sk": {"S": "ORDER"}, "c_pk": {"S": "C"}, "c_sk": {"S": "1"}}
    created = Write("T", keys, None, {**keys, "d_pk": {"S": "D"}, "d_sk": {"S": "t1"}, "doc": {"S": "x"}})
    assert index_writes(table, created) == {"by_created": 1, "due": 1}
    moved = Write(
        "T", keys, created.after, {**keys, "d_pk": {"S": "D"}, "d_sk": {"S": "t2"}, "doc": {"S": "y"}}
    )
    assert index_writes(table, moved) == {"by_created": 1, "due": 2}


def test_import_time_is_summed_per_package_with_the_module_that_pulled_it_in() -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       300 |        300 |       pydantic.main",
            "import time:       200 |        500 |     pydantic",
            "import time:       100 |        600 |   orders_api.domain.models",
            "import time:        50 |        650 | app",
        ]
    )
    packages = by_package(parse_importtime(stderr))
    assert packages["pydantic"] == (0.5, "orders_api.domain.models")
    assert packages["app"] == (0.05, "the handler itself")


def test_partition_limits_by_hand() -> None:
    """A 2-item order: 6 WCU on the table, 2 on by_created, 1 on due; a 100-item one: 82, 40, 1."""
    small = capacity.write_bounds({"table": 6.0, "by_created": 2.0, "by_customer": 2.0, "due": 1.0})
    assert capacity.first_limit(small, "client") == (1000 / 2, "by_created")
    assert capacity.first_limit(small, "table") == (40_000 / 6, "table")
    large = capacity.write_bounds({"table": 82.0, "by_created": 40.0, "due": 1.0})
    assert capacity.first_limit(large, "client") == (25.0, "by_created")
    emails = capacity.write_bounds({"table": 4.0, "by_created": 4.0, "due": 4.0})
    assert capacity.first_limit(emails, "table") == (8 * 1000 / 4, "due")
    assert capacity.read_bound("by_created", 23.0).per_client == 3000 / 23
    assert capacity.read_bound("table", 1.0).per_client is None
    assert capacity.shards_needed(4032, 500) == 9


def test_a_list_page_fails_when_it_takes_more_queries_than_its_bytes_need() -> None:
    results = fake_results()
    results["list_orders"]["read_bytes_per_page"] = [1_300_000] * 9 + [900_000]
    text = report.render(results)
    assert (
        "| list page of 1000 (10,000 orders): ceil(page bytes / 1 MB) Queries | 20 for 19 | **FAIL** |"
        in text
    )
    assert report.fewest_queries(0) == 1
    assert report.fewest_queries(1024 * 1024) == 1
    assert report.fewest_queries(1024 * 1024 + 1) == 2


def test_a_page_past_one_mb_takes_a_second_query() -> None:
    assert capacity.page_read_units(4096) == 0.5
    assert capacity.page_read_units(1024 * 1024 + 1) == 128 + 0.5


def test_one_mailer_sends_while_its_run_may_claim() -> None:
    mailer = Mailer(interval_s=300, timeout_s=300, stop_margin_s=20, seconds_per_email=0.07)
    assert mailer.sending_seconds_per_day == 280 * 288
    assert mailer.emails_per_day() == pytest.approx(280 * 288 / 0.07)
    assert mailer.emails_per_day(concurrency=8, send_rate=100) == 100 * 280 * 288
    assert Mailer(60, 300, 20, 0.07).sending_seconds_per_day == 86_400


def test_moto_in_its_own_process_answers_as_dynamodb_does() -> None:
    """The mailer's concurrent runs reach DynamoDB there: items written and read back over HTTP, a failed
    condition answered as DynamoDB's error, and the server's CPU reported apart from this process's."""
    from botocore.exceptions import ClientError  # noqa: PLC0415 - only this test needs them
    from orders_api.adapters import aws  # noqa: PLC0415

    from bench.dynamodb_server import serving  # noqa: PLC0415
    from testkit.aws import fake_aws  # noqa: PLC0415

    with fake_aws(), serving() as server:
        client = aws.dynamodb()
        assert client.meta.endpoint_url == server.url
        item = {"pk": {"S": "ORDER#1"}, "sk": {"S": "ORDER"}, "doc": {"S": "{}"}}
        client.put_item(TableName="OrdersTable", Item=item)
        before = server.cpu_seconds()
        with pytest.raises(ClientError) as refused:
            client.put_item(
                TableName="OrdersTable", Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
        read = client.get_item(
            TableName="OrdersTable", Key={"pk": item["pk"], "sk": item["sk"]}, ConsistentRead=True
        )
        assert read["Item"] == item
        assert server.cpu_seconds() > before
    assert aws.dynamodb().meta.endpoint_url != server.url


def test_time_in_calls_counts_calls_side_by_side_once() -> None:
    """Two Queries in flight together for the same stretch count once; seconds outside them stay apart."""
    import time  # noqa: PLC0415 - only this test needs them
    from types import SimpleNamespace  # noqa: PLC0415

    from botocore.hooks import HierarchicalEmitter  # noqa: PLC0415

    from bench.clock import time_in_calls  # noqa: PLC0415

    events = HierarchicalEmitter()
    client = SimpleNamespace(meta=SimpleNamespace(events=events))
    with time_in_calls(client) as spent:
        first, second = {}, {}
        started = time.perf_counter()
        events.emit("before-call.dynamodb.Query", context=first)
        events.emit("before-call.dynamodb.Query", context=second)
        time.sleep(0.05)
        events.emit("after-call.dynamodb.Query", context=first)
        events.emit("after-call.dynamodb.Query", context=second)
        both_done = time.perf_counter() - started
    # Summed, the two calls would count about twice the stretch they shared.
    assert 0.05 <= spent["dynamodb"] <= both_done
