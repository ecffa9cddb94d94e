"""Renders one `python -m bench` run as Markdown: the targets first, then each part's figures.

Every figure is a median with its spread; every target is shown with pass or FAIL, and
each miss with what it costs, measured, and why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from orders_api.api.routes import ROUTE_MODULES

from bench import capacity
from bench.capacity import QUERY_RESULT_BYTES, Bound, Mailer
from bench.coldstart import STACK
from bench.scenarios import LIST_PAGE, PAGE_ORDERS

# Every function of the template: the authorizer, one per API route module, then the rest.
FUNCTIONS = ("authorizer", *ROUTE_MODULES, "docs", "fallback", "mailer")
# Cold start as deployed, against the floor: the hot read paths and the gatekeepers, then the rest.
FAST_STARTERS = ("authorizer", "fallback", "get_order", "list_orders", "get_customer")
FAST_START_RATIO = 1.3
COLD_START_RATIO = 1.6
# As deployed equals cached when the bytecode shipped is used: what is left is noise.
COMPILE_LEFT_SHARE = 0.05
GET_CALLS = 1
STATUS_MOVE_CALLS = 2
LIST_PAGE_CALLS = 1
MAILER_ORDER_ITEMS_PER_EMAIL = 1.2
MAILER_EMAILS_PER_SECOND = 100
WARM_GET_P50_MS = 1.5
WARM_LIST_PAGE_P50_MS = 10.0
EVENTS_CALLS_PER_WRITE = 1.0
LOCAL_DELIVERY_P95_S = 1.0
SIZES = (1, 100)
OWN_PACKAGE = "orders_api"

Results = dict[str, Any]


@dataclass(frozen=True)
class Check:
    target: str
    measured: str
    passed: bool
    cost: str = ""
    function: str = ""


def number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def spread(summary: dict[str, float]) -> str:
    """Median (min-max)."""
    return f"{number(summary['median'])} ({number(summary['min'])}-{number(summary['max'])})"


def ratio(summary: dict[str, float]) -> str:
    return f"{summary['median']:.2f}x ({summary['min']:.2f}-{summary['max']:.2f})"


def size(count: float) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count:.0f} B"


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"


def verdict(passed: bool) -> str:
    return "pass" if passed else "**FAIL**"


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return [*lines, ""]


def calls_text(calls: dict[str, int]) -> str:
    return ", ".join(f"{count} {operation}" for operation, count in sorted(calls.items())) or "none"


def _route(results: Results, route: str, items: int | None) -> dict[str, Any] | None:
    return next(
        (r for r in results["cost"]["routes"] if r["route"] == route and r["items"] == items),
        None,
    )


def _warm(results: Results, route: str, items: int | None) -> dict[str, Any] | None:
    return next(
        (r for r in results["warm"]["routes"] if r["route"] == route and r["items"] == items),
        None,
    )


def _route_calls(results: Results, route: str) -> list[tuple[int, int]]:
    """(items, calls) of the route for each order size."""
    found = []
    for items in SIZES:
        entry = _route(results, route, items)
        if entry is not None:
            found.append((items, sum(entry["calls"].values())))
    return found


# --- targets -------------------------------------------------------------------------------------


def _imports_text(results: Results, function: str, count: int = 4) -> str:
    imports = results["coldstart"]["imports"].get(function, {})
    packages = [p for p in imports.get("packages", []) if p["excess_ms"] > 0][:count]
    return "; ".join(f"{p['package']} +{number(p['excess_ms'])} ms (via {p['via']})" for p in packages)


def cold_start_limit(function: str) -> float:
    return FAST_START_RATIO if function in FAST_STARTERS else COLD_START_RATIO


def cold_start_checks(results: Results) -> list[Check]:
    """Per function, the cold start as deployed (the layer as built, bytecode included) against the floor."""
    cold = results["coldstart"]["deployed"]
    floor = cold["floor"]["total_ms"]["median"]
    checks = []
    for function in FUNCTIONS:
        entry = cold[function]
        measured = entry["ratio_to_floor"]["median"]
        limit = cold_start_limit(function)
        extra = entry["total_ms"]["median"] - floor
        cost = (
            f"+{number(extra)} ms over the floor's {number(floor)} ms{_stack_text(cold)}; beyond the floor's "
            f"imports: {_imports_text(results, function)}"
        )
        checks.append(
            Check(
                f"cold start of {function} ≤ {limit}x floor",
                ratio(entry["ratio_to_floor"]),
                measured <= limit,
                cost,
                function,
            )
        )
    return checks


def _stack_text(cold: Results) -> str:
    """What the stack alone starts in, as deployed, when the run measured it."""
    if not all(name in cold for name in STACK):
        return ""
    reader, writer = (cold[name]["ratio_to_floor"]["median"] for name in STACK)
    return f" (the stack alone: {reader:.2f}x without validation, {writer:.2f}x with it)"


def compile_left_check(results: Results) -> Check:
    """As deployed minus cached, per function: the compile cost a cold start still pays."""
    cold = results["coldstart"]
    left = {
        function: cold["compile_ms"][function]["median"] / cold["cached"][function]["total_ms"]["median"]
        for function in FUNCTIONS
    }
    worst = max(left, key=lambda function: abs(left[function]))
    return Check(
        f"as deployed = cached within {COMPILE_LEFT_SHARE:.0%}, every function",
        f"worst {worst} {number(cold['compile_ms'][worst]['median'])} ms ({left[worst]:+.1%})",
        all(abs(share) <= COMPILE_LEFT_SHARE for share in left.values()),
    )


def _calls_check(results: Results, route: str, limit: int, label: str) -> Check:
    found = _route_calls(results, route)
    measured = ", ".join(f"{calls} ({plural(items, 'item')})" for items, calls in found)
    return Check(label, measured, bool(found) and all(calls <= limit for _, calls in found))


def fewest_queries(page_bytes: int) -> int:
    """DynamoDB returns at most 1 MB of items a Query, so a page of these bytes takes at least this many."""
    return max(1, math.ceil(page_bytes / QUERY_RESULT_BYTES))


def list_page_check(results: Results) -> Check:
    listing = results["list_orders"]
    made, read = listing["queries_per_page"], listing["read_bytes_per_page"]
    fewest = [fewest_queries(page_bytes) for page_bytes in read]
    cost = (
        f"{sum(made)} Queries for {plural(len(made), 'page')} of up to {listing['limit']} orders, each page "
        f"reading up to {size(max(read))}; DynamoDB returns at most {size(QUERY_RESULT_BYTES)} of items a Query, "
        f"so ceil(bytes / 1 MB) per page, {sum(fewest)} in all, is the fewest. The route's default page (100) "
        "takes one."
    )
    return Check(
        f"list page of {listing['limit']} ({listing['orders']:,} orders): ceil(page bytes / 1 MB) Queries",
        f"{sum(made)} for {sum(fewest)}",
        all(queries <= least for queries, least in zip(made, fewest, strict=True)),
        cost,
    )


def warm_get_checks(results: Results) -> list[Check]:
    checks = []
    profiles = {p["items"]: p["top"] for p in results["warm"]["profiles"]}
    for items in SIZES:
        entry = _warm(results, "get_order", items)
        if entry is None:
            continue
        p50 = entry["ms"]["median"]
        places = ", ".join(f"{p['where']} {p['share']:.0%}" for p in profiles.get(items, []))
        cost = (
            f"p50 {number(p50)} ms for {items} items: the stored JSON text is shown as read, edited where "
            f"the shown order differs. Own time by place: {places}"
        )
        checks.append(
            Check(
                f"warm GET p50 < {number(WARM_GET_P50_MS)} ms, {plural(items, 'item')}",
                f"{number(p50)} ms",
                p50 < WARM_GET_P50_MS,
                cost,
            )
        )
    return checks


def events_checks(results: Results) -> list[Check]:
    """Per write with the stream drained after each (the most invocations), and the local delivery."""
    if "events" not in results:
        return []
    quiet, latency = results["events"]["quiet"]["per_write"], results["events"]["latency"]["seconds"]
    found = [
        Check(
            f"events function: ≤ {number(EVENTS_CALLS_PER_WRITE)} {label} per write",
            number(quiet[key]),
            quiet[key] <= EVENTS_CALLS_PER_WRITE,
        )
        for key, label in (
            ("invocations", "invocation"),
            ("put_events_calls", "PutEvents call"),
            ("dynamodb_calls", "DynamoDB call"),
        )
    ]
    found.append(
        Check(
            f"local webhook delivery p95 < {number(LOCAL_DELIVERY_P95_S)} s",
            f"{number(latency['p95'])} s",
            latency["p95"] < LOCAL_DELIVERY_P95_S,
        )
    )
    return found


def _rates(results: Results) -> tuple[dict[str, Any], dict[str, Any]]:
    """The concurrent runs at the highest and at the lowest MaxSendRate."""
    rates = sorted(results["mailer"]["concurrent"]["rates"], key=lambda r: r["max_send_rate"])
    return rates[-1], rates[0]


def mailer_checks(results: Results) -> list[Check]:
    concurrent, backlog = results["mailer"]["concurrent"], results["mailer"]["backlog"]
    high, low = _rates(results)
    latency = number(concurrent["ses_latency_ms"])
    cpu = high["cpu_ms_per_email"]["median"]
    in_moto = high["cpu_ms_per_email_in_moto"]["median"]
    rate = high["emails_per_second"]["median"]
    throughput_cost = (
        f"{spread(high['emails_per_second'])} emails/s with {concurrent['workers']} workers and SES answering in "
        f"{latency} ms: each email costs the mailer's process {number(cpu)} ms of CPU (its own code, botocore's "
        f"and the HTTP calls to DynamoDB, as in AWS) and moto's DynamoDB, answering from a process of its own, "
        f"{number(in_moto)} ms; the run kept {cpu * rate / 1000:.0%} and {in_moto * rate / 1000:.0%} of a CPU "
        f"busy, and one whole CPU for each would allow about {number(1000 / max(cpu, in_moto))}/s. SES's wait "
        f"is hidden already. In AWS an email costs the mailer about {number(cpu)} ms."
    )
    low_rate = number(low["max_send_rate"])
    return [
        Check(
            f"mailer: ≥ {MAILER_EMAILS_PER_SECOND} emails/s at {latency} ms SES latency",
            f"{spread(high['emails_per_second'])} (MaxSendRate {number(high['max_send_rate'])}/s)",
            high["emails_per_second"]["median"] >= MAILER_EMAILS_PER_SECOND,
            throughput_cost,
        ),
        Check(
            f"mailer: never above MaxSendRate ({low_rate}/s)",
            f"at most {low['busiest_second']} sends in any second; {spread(low['emails_per_second'])} emails/s",
            low["busiest_second"] <= low["max_send_rate"],
            f"{low['busiest_second']} sends in one second at MaxSendRate {low_rate}/s: the throttle spaces the "
            "sends, and a send delayed on its way (thread scheduling on a busy machine) landed close to later ones.",
        ),
        Check(
            f"mailer: {backlog['orders']:,} due emails all sent across runs, none twice",
            f"{backlog['orders']:,} sent in {plural(backlog['runs'], 'run')} of {backlog['run_seconds']} s, "
            f"{backlog['sent_twice']} twice",
            backlog["sent_twice"] == 0,
        ),
    ]


def warm_list_page_check(results: Results) -> Check:
    items = SIZES[-1]
    entry = _warm(results, LIST_PAGE, items)
    target = f"warm list page p50 < {number(WARM_LIST_PAGE_P50_MS)} ms, {PAGE_ORDERS} orders of {items} items"
    if entry is None:
        return Check(target, "not measured", False)
    p50 = entry["ms"]["median"]
    cost = (
        f"p50 {number(p50)} ms: the page joins the stored JSON texts of its orders, each edited where the "
        "shown order differs; DynamoDB returns at most 1 MB a Query, so the page takes several."
    )
    return Check(target, f"{number(p50)} ms", p50 < WARM_LIST_PAGE_P50_MS, cost)


def checks(results: Results) -> list[Check]:
    mailer = results["mailer"]
    return [
        *cold_start_checks(results),
        compile_left_check(results),
        _calls_check(results, "get_order", GET_CALLS, f"GET: {GET_CALLS} DynamoDB call"),
        _calls_check(
            results, "update_order_status", STATUS_MOVE_CALLS, f"status move: ≤ {STATUS_MOVE_CALLS} calls"
        ),
        _calls_check(
            results, "list_orders", LIST_PAGE_CALLS, f"list page (default 100): {LIST_PAGE_CALLS} call"
        ),
        list_page_check(results),
        Check(
            f"mailer: ≤ {MAILER_ORDER_ITEMS_PER_EMAIL} order items read per due email",
            number(mailer["order_items_read_per_email"]),
            mailer["order_items_read_per_email"] <= MAILER_ORDER_ITEMS_PER_EMAIL,
        ),
        *mailer_checks(results),
        *warm_get_checks(results),
        *events_checks(results),
        warm_list_page_check(results),
    ]


# --- sections ------------------------------------------------------------------------------------


def header(results: Results) -> list[str]:
    machine = results["machine"]
    cold = results["coldstart"]
    return [
        "# Benchmark results",
        "",
        f"`make bench` on {machine['date']}: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['implementation']} {machine['python']} on {machine['platform']}; "
        f"the run took {results['seconds'] / 60:.1f} minutes.",
        "",
        "Each figure is a median with its spread (min-max unless a column says otherwise), all taken in "
        f"this one run. Cold starts interleave the floor, the peer and every function over {cold['rounds']} "
        "rounds and take each ratio within a round, so they hold on a shared, noisy machine; warm "
        "invocations interleave the routes the same way. Lambda runs Python 3.13 on arm64: absolute "
        "times there differ, the ratios are what to compare.",
        "",
    ]


def _cold_start_row(cold: list[Check], ratios: Results, label: str) -> tuple[str, str, str]:
    worst = max(cold, key=lambda c: ratios[c.function]["ratio_to_floor"]["median"])
    within = sum(c.passed for c in cold)
    return (
        label,
        f"{within} of {len(cold)} within; worst {worst.function} {worst.measured}",
        verdict(within == len(cold)),
    )


def targets_section(found: list[Check], results: Results) -> list[str]:
    cold = [c for c in found if c.function]
    ratios = results["coldstart"]["deployed"]
    rows = [
        _cold_start_row(
            [c for c in cold if c.function in FAST_STARTERS],
            ratios,
            f"cold start as deployed ≤ {FAST_START_RATIO}x floor: {', '.join(FAST_STARTERS)}",
        ),
        _cold_start_row(
            [c for c in cold if c.function not in FAST_STARTERS],
            ratios,
            f"cold start as deployed ≤ {COLD_START_RATIO}x floor, every other function",
        ),
        *((c.target, c.measured, verdict(c.passed)) for c in found if not c.function),
    ]
    return ["## Targets", "", *table(("target", "measured", "result"), rows)]


def per_function_section(results: Results) -> list[str]:
    cold, deployed = results["coldstart"]["cached"], results["coldstart"]["deployed"]
    packages = results["packages"]["functions"]
    mailer = results["mailer"]
    rows = []
    for function in FUNCTIONS:
        entry = cold[function]
        shipped = deployed[function]["ratio_to_floor"]["median"]
        warm = [w for items in (*SIZES, None) if (w := _warm(results, function, items))]
        warm_text = " / ".join(number(w["ms"]["median"]) for w in warm) or "—"
        big = _route(results, function, SIZES[-1]) or _route(results, function, None)
        small = _route(results, function, SIZES[0]) or _route(results, function, None)
        if function == "mailer":
            calls = f"{number(sum(mailer['calls'].values()) / mailer['due'])} per email"
            units = (
                f"{number(mailer['read_units_per_email'])} / "
                f"{number(mailer['write_units_per_email'] + sum(mailer['index_write_units_per_email'].values()))}"
                " per email"
            )
        else:
            calls = calls_text(small["calls"]) if small else "—"
            units = f"{number(big['read_units'])} / {number(big['total_write_units'])}" if big else "—"
        rows.append(
            (
                function,
                spread(entry["total_ms"]),
                f"{entry['ratio_to_floor']['median']:.2f}x",
                f"{shipped:.2f}x {verdict(shipped <= cold_start_limit(function))}",
                warm_text,
                calls,
                units,
                size(packages[function]["zipped_bytes"]) if function in packages else "—",
            )
        )
    floor = cold["floor"]["total_ms"]
    return [
        "## Per function",
        "",
        f"Floor (boto3 and a DynamoDB client): {spread(floor)} ms cached, "
        f"{spread(deployed['floor']['total_ms'])} ms as deployed.",
        "",
        *table(
            (
                "function",
                "cold start ms",
                "x floor",
                "x floor as deployed",
                "warm p50 ms (1 / 100 items)",
                "DynamoDB calls (1 item)",
                "RCU / WCU with indexes (100 items)",
                "function zip",
            ),
            rows,
        ),
    ]


def misses_section(found: list[Check], results: Results) -> list[str]:
    missed = [c for c in found if not c.passed]
    if not missed:
        return ["## Misses", "", "Every target is met.", ""]
    lines = ["## What the misses cost, and why", ""]
    cold = [c for c in missed if c.function]
    if cold:
        lines += [
            "**Cold start.** Each function imports its whole chain at module load; the packages below are "
            "what it imports beyond the floor's, by import self-time summed per package (median of "
            "`-X importtime` runs), with the module of ours that pulled each in:",
            "",
        ]
        lines += [f"- {c.function} ({c.measured}): {c.cost}" for c in cold]
        lines += ["", *_common_imports(results), ""]
    for check in missed:
        if check not in cold and check.cost:
            lines += [f"**{check.target}** ({check.measured}): {check.cost}", ""]
    return lines


def _who(package: str, via: str) -> str:
    if package == OWN_PACKAGE:
        return f"the bodies of our own {OWN_PACKAGE} modules (see Ours: below)"
    return f"{package} through {via}"


def _common_imports(results: Results) -> list[str]:
    """Imports that most functions pay for through the same module of ours: where a fix pays most."""
    seen: dict[tuple[str, str], list[float]] = {}
    for function in FUNCTIONS:
        for entry in results["coldstart"]["imports"].get(function, {}).get("packages", []):
            if entry["excess_ms"] > 0:
                seen.setdefault((entry["package"], entry["via"]), []).append(entry["excess_ms"])
    common = sorted(
        ((package, via, costs) for (package, via), costs in seen.items() if len(costs) * 2 >= len(FUNCTIONS)),
        key=lambda found: -sorted(found[2])[len(found[2]) // 2],
    )
    if not common:
        return []
    return [
        "Shared by most functions, so where a change pays most: "
        + "; ".join(
            f"{_who(package, via)} in {len(costs)} of {len(FUNCTIONS)} functions "
            f"(median +{number(sorted(costs)[len(costs) // 2])} ms)"
            for package, via, costs in common
        )
        + "."
    ]


def _deployed_note(results: Results) -> list[str]:
    compiled = results["coldstart"]["compile_ms"]
    left = sorted(compiled[f]["median"] for f in FUNCTIONS)
    return [
        "As deployed, the layer carries bytecode for every module, compiled by its build recipe with "
        "unchecked-hash invalidation, so the new file times of a deployment do not make it stale; what "
        f"a cold start pays beyond the cached layout is {number(left[len(left) // 2])} ms for the median "
        f"function (from {number(left[0])} to {number(left[-1])}; each the median of per-round "
        "differences): noise, no compiling."
    ]


def cold_start_section(results: Results) -> list[str]:
    cold = results["coldstart"]
    cached, deployed = cold["cached"], cold["deployed"]
    names = [
        "floor",
        *(["peer"] if cold["peer_measured"] else []),
        *(name for name in STACK if name in cached),
        *FUNCTIONS,
    ]
    rows = []
    for name in names:
        entry = cached[name]
        as_deployed = deployed.get(name)
        rows.append(
            (
                name,
                ", ".join(cold["clients"].get(name, [])) or "—",
                spread(entry["import_ms"]),
                spread(entry["clients_ms"]),
                spread(entry["total_ms"]),
                ratio(entry["ratio_to_floor"]) if "ratio_to_floor" in entry else "1",
                spread(as_deployed["total_ms"]) if as_deployed else "—",
                ratio(as_deployed["ratio_to_floor"])
                if as_deployed and "ratio_to_floor" in as_deployed
                else "—",
            )
        )
    peer = (
        f"Our GET to the FastAPI + Mangum peer (bench/peer_fastapi.py, the same route on the same "
        f"repository): {ratio(cached['get_order']['ratio_to_peer'])}."
        if cold["peer_measured"]
        else "The FastAPI + Mangum peer was not measured: install the `bench` extra."
    )
    lines = [
        "## Cold start",
        "",
        "A fresh interpreter per run imports the function's handler module (its folder first on "
        "sys.path, then the layer) with the template's variables and Lambda's own, then builds the "
        "clients its policies call for; the floor (bench/floor_handler.py) builds its DynamoDB client "
        "at import. *Cached*: layers/shared with its bytecode compiled in place; *as deployed*: the layer "
        "as its build recipe makes it for `sam build` (layers/shared/Makefile, this machine's Python and "
        "wheels), bytecode included, file times changed as a deployment does, nothing written at import. "
        "Both in the same rounds. Milliseconds.",
        "",
        *table(
            (
                "target",
                "clients",
                "import",
                "clients",
                "total",
                "x floor",
                "as deployed",
                "x floor as deployed",
            ),
            rows,
        ),
        peer,
        "",
        *_deployed_note(results),
        "",
        "### Where the import time goes",
        "",
        "Per function, the packages costing most beyond the floor (median `-X importtime` self time, "
        "summed per package, with our module that imported it) and our own slowest modules:",
        "",
    ]
    for name in names[1:]:
        imports = cold["imports"].get(name)
        if imports:
            own = ", ".join(f"{m['module']} {number(m['ms'])}" for m in imports["own_modules"])
            lines.append(f"- **{name}**: {_imports_text(results, name, 6)}. Ours: {own}.")
    return [*lines, ""]


def warm_section(results: Results) -> list[str]:
    warm = results["warm"]
    rows = [
        (
            r["route"],
            r["items"] if r["items"] is not None else "—",
            number(r["ms"]["median"]),
            f"{number(r['ms']['p25'])}-{number(r['ms']['p75'])}",
            number(r["ms"]["p95"]),
        )
        for r in warm["routes"]
    ]
    lines = [
        "## Warm handler overhead",
        "",
        f"In-process, every DynamoDB call answered by botocore's Stubber with the response moto gave for "
        f"the same request, so the time is our code's and botocore's request building. "
        f"{warm['invocations']} invocations per route after {warm['warmup']} to warm up, interleaved. "
        "Milliseconds.",
        "",
        *table(("route", "items", "p50", "p25-p75", "p95"), rows),
    ]
    for profile in warm["profiles"]:
        places = ", ".join(f"{p['where']} {p['share']:.0%}" for p in profile["top"])
        lines.append(
            f"Own time of {profile['route']} ({plural(profile['items'], 'item')}) under cProfile: {places}."
        )
    return [*lines, ""]


def cost_section(results: Results) -> list[str]:
    cost = results["cost"]
    rows = [
        (
            r["route"],
            r["items"] if r["items"] is not None else "—",
            calls_text(r["calls"]),
            number(r["read_units"]),
            number(r["write_units"]),
            ", ".join(f"{name} {number(units)}" for name, units in sorted(r["index_write_units"].items()))
            or "—",
            number(r["total_write_units"]),
        )
        for r in cost["routes"]
    ]
    moto = "; ".join(
        f"{plural(m['items'], 'item')} ({size(m['item_bytes'])}): computed {m['computed_read_units']}, "
        f"moto {m['moto_read_units']}"
        for m in cost["moto_check"]
    )
    return [
        "## DynamoDB cost per route",
        "",
        "Calls by operation and capacity units per request, computed from the item sizes recorded in moto "
        "(bench/capacity.py: 4 KB read units, halved for eventually consistent reads and index Queries; "
        "1 KB write units on the larger of before and after, doubled in transactions; each global "
        "secondary index whose entry an item write adds, changes or removes costs its own units). "
        f"moto's ReturnConsumedCapacity is a constant whatever the size, so it is not used: a strongly "
        f"consistent GetItem of an order of {moto}.",
        "",
        *table(("route", "items", "calls", "RCU", "WCU table", "WCU per index", "WCU total"), rows),
    ]


def mailer_section(results: Results) -> list[str]:
    m = results["mailer"]
    indexes = ", ".join(
        f"{name} {number(units)}" for name, units in sorted(m["index_write_units_per_email"].items())
    )
    concurrent, backlog = m["concurrent"], m["backlog"]
    rates = "; ".join(
        f"MaxSendRate {number(r['max_send_rate'])}/s: {spread(r['emails_per_second'])} emails/s, at most "
        f"{r['busiest_second']} sends in any one second, {spread(r['cpu_ms_per_email'])} ms of the mailer's CPU "
        f"per email (and {number(r['cpu_ms_per_email_in_moto']['median'])} of moto's)"
        for r in _rates(results)
    )
    return [
        "## Mailer",
        "",
        f"{m['orders']:,} orders of which {m['due']} are due, DynamoDB in moto, SES the bench's stand-in (it "
        f"answers each send after the latency given and keeps what was sent), {plural(m['runs'], 'timed run')}.",
        "",
        f"- As deployed, {concurrent['workers']} workers, SES answering each send in "
        f"{number(concurrent['ses_latency_ms'])} ms, DynamoDB answered over HTTP by moto in a process of its own "
        "(bench/dynamodb_server.py; in this process its work would take the mailer's CPU, which in AWS is "
        "DynamoDB's), on a table holding only the orders sent (moto walks every item of a table for each "
        f"Query, DynamoDB only the index range asked for): {rates}.",
        f"- A backlog of {backlog['orders']:,} due orders, runs of {backlog['run_seconds']} s: "
        f"{plural(backlog['runs'], 'run')} ({', '.join(str(n) for n in backlog['sent_per_run'])} sent), "
        f"{number(backlog['seconds'])} s in all, {number(backlog['emails_per_second'])} emails/s; every email "
        "sent once.",
        f"- In sequence (one worker, no SES latency), emails per second: {spread(m['emails_per_second'])}; the "
        f"mailer's own share alone (time outside DynamoDB and SES calls): {spread(m['own_emails_per_second'])}.",
        f"- A run: {spread(m['seconds_per_run'])} s, of which {spread(m['seconds_in_dynamodb'])} s inside "
        f"DynamoDB calls (moto's time, not AWS's) and {spread(m['seconds_in_ses'])} s inside SES calls.",
        f"- Calls per run: {calls_text(m['calls'])}; order items read per email sent: "
        f"{number(m['order_items_read_per_email'])} ({m['order_items_read']} orders read, plus "
        f"{m['index_entries_read']} keys-only entries of the due index).",
        f"- Per email: {number(m['read_units_per_email'])} RCU, {number(m['write_units_per_email'])} WCU on the "
        f"table and {indexes} WCU on the indexes (the claim and the outcome each rewrite the order).",
        "",
    ]


def list_section(results: Results) -> list[str]:
    listing = results["list_orders"]
    page = listing["seconds_per_page"]
    return [
        "## Listing every order of a customer",
        "",
        f"`python -m bench.list_orders`: {listing['orders']:,} orders of one customer, `limit={listing['limit']}`, "
        "in moto.",
        "",
        f"- {plural(listing['pages'], 'page')}, {calls_text(listing['dynamodb_calls'])}; largest page "
        f"{size(listing['largest_page_bytes'])}.",
        f"- {number(listing['seconds_total'])} s in all (a page: median {number(page['median'])} s, max "
        f"{number(page['max'])} s), of which {number(listing['seconds_in_handler_code'])} s in the handler's "
        f"own code and {number(listing['seconds_in_dynamodb_calls'])} s in moto's Query.",
        "",
    ]


def erasure_section(results: Results) -> list[str]:
    erasure = results["erasure"]
    moto, waited, projected = erasure["moto"], erasure["with_latency"], erasure["projected"]
    within = projected["seconds_in_turn"] <= projected["budget_seconds"]
    return [
        "## Erasing a customer with many orders",
        "",
        f"`python -m bench.erasure`: one customer's {erasure['orders']:,} orders erased by one request, in moto, "
        f"{erasure['parallel_writes']} writes at a time.",
        "",
        f"- Calls: {calls_text(waited['calls'])}; {number(erasure['calls_per_order'])} an order.",
        f"- As moto answers: {number(moto['seconds'])} s ({moto['orders_per_second']:,} orders/s). With "
        f"{erasure['latency_ms']} ms slept before every call: {number(waited['seconds'])} s "
        f"({waited['orders_per_second']:,} orders/s), {number(waited['cpu_seconds'])} s of CPU of which "
        f"{number(waited['cpu_seconds_in_moto'])} s inside moto's calls.",
        f"- Projected for {projected['orders']:,} orders at {erasure['memory_mb']:,} MB ({erasure['vcpus']} vCPU): "
        f"the waits ({number(projected['waits_seconds'])} s) and the handler's own CPU "
        f"({number(projected['handler_cpu_seconds'])} s) take {number(projected['seconds_overlapped'])} s if "
        f"they overlap fully, {number(projected['seconds_in_turn'])} s if they take turns, "
        f"{'within' if within else '**over**'} the {number(projected['budget_seconds'])} s before an erasure "
        "stops and answers 503.",
        "",
    ]


def events_section(results: Results) -> list[str]:
    if "events" not in results:
        return []
    events = results["events"]
    quiet, busy, latency = events["quiet"], events["busy"], events["latency"]
    writes = ", ".join(f"{count} {kind}" for kind, count in quiet["writes"].items())
    figures = (
        ("events function invocations", "invocations"),
        ("PutEvents calls", "put_events_calls"),
        ("SQS messages for the webhook", "sqs_messages"),
        ("SendMessageBatch calls", "sqs_batches"),
        ("DynamoDB calls", "dynamodb_calls"),
    )
    rows = [
        (label, number(quiet["per_write"][key]), number(busy["per_write"][key])) for label, key in figures
    ]
    rows.append(
        (
            "entries per PutEvents call",
            number(quiet["entries_per_put_events"]),
            number(busy["entries_per_put_events"]),
        )
    )
    seconds = latency["seconds"]
    return [
        "## Events and webhooks",
        "",
        f"`python -m bench.events`: in moto, {writes} ({sum(quiet['writes'].values())} writes, "
        f"{quiet['stream_records']} stream records, {quiet['events']} events), one webhook subscribed to "
        f"every event. The events function reads the stream as its mapping does (batches of up to "
        f"{events['batch_size']}, the template's filter); per write, drained after each write (a quiet shop, "
        "each write its own batch; the mailer's sends come in one run) and once after all of them (a busy "
        f"shop, full batches). Its DynamoDB calls: {calls_text(quiet['dynamodb_calls'])} when quiet, "
        f"{calls_text(busy['dynamodb_calls'])} when busy (a client's webhooks, once per batch).",
        "",
        *table(("per write", "quiet", "busy"), rows),
        f"Local delivery, `python -m orders_local` as `make run` starts it: {latency['deliveries']} orders "
        f"created {number(latency['spacing_s'])} s apart, each from the create's 2xx answer to its signed "
        f"webhook's arrival at a receiver on 127.0.0.1: p50 {number(seconds['median'])} s, p95 "
        f"{number(seconds['p95'])} s (min {number(seconds['min'])}, max {number(seconds['max'])}). The local "
        f"stream and queue pollers look every {number(latency['poll_interval_s'])} s when idle, and that "
        "dominates: up to two intervals of waiting against a few milliseconds of work. In AWS the mappings' "
        "batching windows (1 s each) and Lambda's own polling take their place.",
        "",
        *_warm_against_baseline(results),
    ]


def _warm_against_baseline(results: Results) -> list[str]:
    """Each route's warm p50 next to the committed run's, read by `python -m bench` before it writes."""
    before = results.get("baseline")
    if not before:
        return []
    earlier = {(r["route"], r["items"]): r["ms"]["median"] for r in before["warm"]}
    rows = []
    for route in results["warm"]["routes"]:
        was = earlier.get((route["route"], route["items"]))
        if was is None:
            continue
        now = route["ms"]["median"]
        rows.append(
            (
                route["route"],
                route["items"] if route["items"] is not None else "—",
                number(was),
                number(now),
                f"{(now - was) / was:+.0%}",
            )
        )
    control = [
        f"{change} ({plural(int(items), 'item')})"
        for route, items, _, _, change in rows
        if route.startswith("peer")
    ]
    noise = (
        f" The FastAPI + Mangum peer, which no change of ours touches, moved {' and '.join(control)}: that "
        "much the machine's load alone moves these figures between runs."
        if control
        else ""
    )
    return [
        f"**No handler got slower.** The API handlers do no event work (events come from the stream) and "
        "import none of the event, bus or delivery modules (tests/unit/test_cold_start_imports.py checks "
        f"it). Warm p50 per route, milliseconds, against the committed run of {before['date']}.{noise}",
        "",
        *table(("route", "items", "committed p50", "this run p50", "change"), rows),
    ]


def packages_section(results: Results) -> list[str]:
    packages = results["packages"]
    layer = packages["layer"]
    largest = ", ".join(f"{e['entry']} {size(e['bytes'])}" for e in layer["largest"])
    rows = [
        (name, size(entry["bytes"]), entry["files"], size(entry["zipped_bytes"]))
        for name, entry in packages["functions"].items()
    ]
    return [
        "## Package size",
        "",
        f"Built with {packages['method']}.",
        "",
        f"- Layer: {size(layer['bytes'])} unzipped in {layer['files']:,} files, {size(layer['zipped_bytes'])} zipped. "
        f"Largest: {largest}.",
        "",
        *table(("function", "unzipped", "files", "zipped"), rows),
    ]


# --- scaling on paper ----------------------------------------------------------------------------

TIMES = (1, 10, 100)
INDEXES = (capacity.TABLE, "by_created", "by_customer", "by_email", "due")
OPERATIONS = (("create", "new order"), ("email", "email sent"))


def _rate(rate: float, bound: str) -> str:
    return f"{number(rate)}/s ({bound})"


def _where(bounds: list[Bound], scope: str) -> str:
    rate, index = capacity.first_limit(bounds, scope)
    bound = next(b for b in bounds if b.index == index)
    if scope == "client":
        return _rate(rate, f"{index} key")
    keyed = bound.holds == "all clients" and rate < bound.table_quota
    return _rate(rate, f"{index}'s {capacity.SPREADS[index].keys} keys" if keyed else f"{index} quota")


def scaling_mailer(results: Results) -> Mailer:
    m = results["scaling"]["mailer"]
    email = results["scaling"]["sizes"][0]["email"]
    own = 1 / results["mailer"]["own_emails_per_second"]["median"]
    return Mailer(
        m["interval_s"],
        m["timeout_s"],
        m["stop_margin_s"],
        own + email["calls"] * capacity.DYNAMODB_CALL_SECONDS + capacity.SES_SEND_SECONDS,
    )


def concurrent_rate(results: Results, mailer: Mailer) -> float:
    """Emails a second of the mailer's workers, no faster than its own code runs on one CPU."""
    own_cap = float(results["mailer"]["own_emails_per_second"]["median"])
    return min(mailer.emails_per_second(results["mailer"]["concurrent"]["workers"]), own_cap)


def _bench_load(results: Results, mailer: Mailer) -> list[str]:
    """Today's bench load, 10x and 100x, against what throttles or falls behind first."""
    small = results["scaling"]["sizes"][0]
    listing, mail = results["list_orders"], results["mailer"]
    writes = capacity.write_bounds(small["create"]["write_units"])
    per_client, index = capacity.first_limit(writes, "client")
    orders = listing["orders"] / listing["seconds_to_seed"]
    page_units = capacity.page_read_units(listing["largest_page_bytes"])
    pages = listing["pages"] / listing["seconds_total"]
    pages_limit = capacity.read_bound("by_customer", page_units).per_key
    workers = mail["concurrent"]["workers"]
    run_limit = concurrent_rate(results, mailer) * min(
        mailer.interval_s, mailer.timeout_s - mailer.stop_margin_s
    )
    table_rate, table_index = capacity.first_limit(writes, "table")
    loads = [
        (
            f"order writes of one client and one customer, {small['items']} items "
            f"(list_orders seeds {listing['orders']:,} in {number(listing['seconds_to_seed'])} s)",
            orders,
            per_client,
            f"{index} key of the client at {number(per_client)}/s (by_customer and by_email too: one "
            f"customer); whole table: {table_index} quota at {number(table_rate)}/s",
        ),
        (
            f"list pages of {listing['limit']} of one customer, {size(listing['largest_page_bytes'])} and "
            f"{number(page_units)} RCU each (list_orders: {listing['pages']} in {number(listing['seconds_total'])} s)",
            pages,
            pages_limit,
            f"by_customer key at {number(pages_limit)} pages/s",
        ),
        (
            f"due emails per mailer run, one client (mailer: {mail['due']} of {mail['orders']:,} orders)",
            mail["due"],
            run_limit,
            f"one mailer run sends {number(run_limit)} with {workers} workers, within SES's rate (above)",
        ),
    ]
    rows = []
    for what, today, limit, first in loads:
        over = next((f"{times}x" for times in TIMES if today * times > limit), "beyond 100x")
        rows.append((what, *(number(today * times) for times in TIMES), first, over))
    return table(("load", "today", "10x", "100x", "first limit", "breaks at"), rows)


def scaling_section(results: Results) -> list[str]:
    scaling = results["scaling"]
    write_rows, read_rows = [], []
    for entry in scaling["sizes"]:
        for key, label in OPERATIONS:
            units = entry[key]["write_units"]
            bounds = capacity.write_bounds(units)
            write_rows.append(
                (
                    entry["items"],
                    label,
                    *(number(units.get(index, 0.0)) for index in INDEXES),
                    _where(bounds, "client"),
                    _where(bounds, "table"),
                )
            )
        for key, label, index in (("list_page", "list page of 100", "by_created"), ("get", "GET", "table")):
            bound = capacity.read_bound(index, entry[key]["read_units"])
            read_rows.append(
                (
                    entry["items"],
                    label,
                    number(bound.units),
                    index,
                    _rate(bound.per_client, f"{index} key") if bound.per_client else "—",
                    _rate(bound.whole_table, f"{index} quota"),
                )
            )
    mailer = scaling_mailer(results)
    m = scaling["mailer"]
    sending = mailer.sending_seconds_per_day
    email = scaling["sizes"][0]["email"]
    at_100 = 100.0
    concurrency = math.ceil(at_100 * mailer.seconds_per_email)
    workers = results["mailer"]["concurrent"]["workers"]
    return [
        "## Scaling on paper",
        "",
        f"What DynamoDB's partition limits ({capacity.PARTITION_WRITE_UNITS:,} WCU and "
        f"{capacity.PARTITION_READ_UNITS:,} RCU a second per partition key, of the table and of each index) "
        f"and the on-demand table quota ({capacity.TABLE_WRITE_UNITS:,} WCU and {capacity.TABLE_READ_UNITS:,} "
        "RCU a second, for the table and for each index, unless raised) let through, from the capacity "
        "recorded for orders of "
        + " and ".join(str(e["items"]) for e in scaling["sizes"])
        + " items (`python -m bench.scaling`; the arithmetic in bench/capacity.py). by_created has one key "
        "per client, by_customer and by_email one per customer (so the same bounds hold per customer), "
        f"the due index {scaling['due_shards']} for all clients; orders and customers are keyed by their own ids.",
        "",
        *table(
            ("items", "write", *(f"WCU {index}" for index in INDEXES), "one client", "whole table"),
            write_rows,
        ),
        *table(("items", "read", "RCU", "index", "one client", "whole table"), read_rows),
        f"**One mailer** (`MailerSchedule` {m['schedule']}, timeout {number(m['timeout_s'])} s, claiming "
        f"until {number(m['stop_margin_s'])} s before it): sending {number(sending)} s a day. An email takes "
        f"{number(mailer.seconds_per_email * 1000)} ms in sequence: the mailer's own "
        f"{number(1000 / results['mailer']['own_emails_per_second']['median'])} ms (bench, above), "
        f"{number(email['calls'])} DynamoDB calls at {number(capacity.DYNAMODB_CALL_SECONDS * 1000)} ms and an "
        f"SES send at {number(capacity.SES_SEND_SECONDS * 1000)} ms; so "
        f"{number(mailer.emails_per_second())} emails/s, {number(mailer.emails_per_day())} a day (emails a day = "
        "min(emails in flight / seconds per email, SES's rate) * sending seconds a day). In SES's "
        f"sandbox ({number(capacity.SES_SANDBOX_RATE)}/s, {capacity.SES_SANDBOX_DAY} a day): "
        f"{capacity.SES_SANDBOX_DAY} a day; out of it the account's own quotas bound it. The mailer keeps up to "
        f"{workers} emails in flight (MAILER_WORKERS): {number(concurrent_rate(results, mailer))} emails/s where "
        f"SES's rate allows (at most {number(mailer.emails_per_second(workers))}, and no faster than its own code "
        f"runs on one CPU). At an SES rate of {number(at_100)}/s ({concurrency} in flight suffice): "
        f"{number(mailer.emails_per_day(concurrency, at_100))} a day, if one client's orders are small: "
        f"with {scaling['sizes'][-1]['items']}-item orders by_created takes one client's emails at "
        f"{number(capacity.first_limit(capacity.write_bounds(scaling['sizes'][-1]['email']['write_units']), 'client')[0])}/s.",
        "",
        "**Today's bench load** (bench/results.json), 10x and 100x, against the first limit it meets:",
        "",
        *_bench_load(results, mailer),
        *_sharding(results),
    ]


def _sharding(results: Results) -> list[str]:
    """What splitting the per-client key of by_created into N keys takes, and costs a list page."""
    small = results["scaling"]["sizes"][0]
    listing = results["list_orders"]
    per_key = capacity.write_bounds(small["create"]["write_units"])
    per_client, _ = capacity.first_limit(per_key, "client")
    orders = listing["orders"] / listing["seconds_to_seed"]
    needed = [capacity.shards_needed(orders * times, per_client) for times in TIMES[1:]]
    page = small["list_page"]["read_units"]
    return [
        f"Split by_created's key of a client into N keys and it takes N * {number(per_client)} new orders/s "
        f"of {small['items']} items: N ≥ {needed[0]} for 10x, {needed[1]} for 100x (where the table quota "
        f"binds first unless raised). A list page then merges N Queries: N calls, and up to N * "
        f"{number(page)} RCU for a page of 100 when each Query reads a whole page.",
        "",
    ]


def render(results: Results) -> str:
    found = checks(results)
    sections = [
        header(results),
        targets_section(found, results),
        per_function_section(results),
        misses_section(found, results),
        cold_start_section(results),
        warm_section(results),
        cost_section(results),
        mailer_section(results),
        list_section(results),
        scaling_section(results) if "scaling" in results else [],
        erasure_section(results) if "erasure" in results else [],
        events_section(results),
        packages_section(results),
    ]
    return "\n".join(line for section in sections for line in section).rstrip() + "\n"
