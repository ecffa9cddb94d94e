"""The mailer at scale: 20,000 orders of which 200 are due, DynamoDB in moto, SES the bench's stand-in.

SES is a stand-in here, not moto's: each SendEmail is answered with a message id after
the latency the part sets, and the stand-in keeps when each send left and to whom. SES's
work happens in SES, not in the Lambda; moto's SES ran in this process and cost it CPU
that AWS never charges a mailer. botocore still builds, signs and parses every send, as
in AWS. DynamoDB stays in moto: its conditional writes are what make exactly-once checkable.

In sequence (one worker, SES answering at once): a metered run counts the DynamoDB calls,
the order items and index entries read and the capacity per email sent (each call's item
images are read around it, so no other call may interleave); then timed runs, each after
the same 200 orders are made due again, give emails per second, with the time inside
DynamoDB calls (moto's, not AWS's) and SES calls (botocore's and the stand-in's) told
apart from the mailer's own. The orders are put as the scale test in
tests/handlers/test_mailer.py puts them (testkit.mailer.bulk_orders).

Concurrently, as deployed, in a new container (bench.mailer_concurrent, a process of its own), with
DynamoDB answered over HTTP by moto in a process of its own
(bench/dynamodb_server.py: in this one, moto's work would take the mailer's CPU, which in AWS is
DynamoDB's), in a table holding only the 200 due orders (moto walks the whole table for every
Query, DynamoDB only the index range asked for; see concurrent): SES answers each send in 50 ms
and GetAccount answers a MaxSendRate. Timed runs at a rate well above what one run reaches and
at a new account's 14/s give emails per second, the mailer process's CPU time per email, how much
of it was spent inside DynamoDB calls, moto's CPU per email in its own process, and the most
sends in any one second, from the times the sends left. Last, a backlog in this process's moto:
20,000 due orders sent by runs of 30 seconds each until none is left; it raises unless every
order's email went out, and none twice.

    python -m bench.mailer [--runs 5] [--backlog-orders 20000]
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from orders_api import settings
from orders_api.adapters import aws
from orders_api.app.mailer import STOP_MARGIN_MS
from orders_api.store import keys
from orders_api.store.orders import Repository

from bench import output
from bench.capacity import total
from bench.clock import cpu_in_calls, time_in_calls
from bench.dynamodb_server import Server, serving
from bench.recorder import Call, Recorder
from bench.scenarios import TABLES, moto_session
from bench.stats import summarize
from testkit import Context, counting_calls
from testkit.aws import SEND_RATE, ses_account
from testkit.mailer import SEND_AT, bulk_orders, workers
from testkit.mailer import run as run_mailer

ORDERS = 20_000
BACKLOG = 20_000
DUE = 200
FUTURE = 9_800
SES_LATENCY_S = 0.05
# An account's MaxSendRate far above what one run reaches, and a new production account's.
HIGH_RATE = SEND_RATE
LOW_RATE = 14.0
BACKLOG_RUN_S = 30
SEND_EMAIL = "before-call.sesv2.SendEmail"


def _reads(calls: list[Call]) -> tuple[int, int]:
    """(order items read from the table, index entries read)."""
    orders = entries = 0
    for call in calls:
        if call.operation == "GetItem":
            item = call.response.get("Item")
            orders += bool(item and item["sk"]["S"] == keys.ORDER_SK)
        elif call.operation == "BatchGetItem":
            read = [item for items in call.response.get("Responses", {}).values() for item in items]
            orders += sum(item["sk"]["S"] == keys.ORDER_SK for item in read)
        elif call.operation == "Query" and "IndexName" in call.params:
            entries += len(call.evaluated)
        elif call.operation == "Query" and call.params["ExpressionAttributeValues"].get(":prefix") == {
            "S": "TEMPLATE#"
        }:
            continue  # a client's own email templates: one Query per client a run, no order read
        elif call.operation == "Query":
            raise RuntimeError(f"the mailer made an unexpected {call.operation}; count its reads here")
    return orders, entries


def _quiet_run(at: datetime = SEND_AT, context: Context | None = None) -> dict[str, Any]:
    """A mailer run; its metrics line (printed, as Lambda's EMF is) goes nowhere."""
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        summary: dict[str, Any] = run_mailer(at, context=context)
    return summary


def _run_all_due() -> dict[str, Any]:
    summary = _quiet_run()
    if (summary["due"], summary["sent"], summary["errors"]) != (DUE, DUE, 0):
        raise RuntimeError(f"the mailer did not send every due email: {summary}")
    return summary


@dataclass
class Outbox:
    """What the SES stand-in was sent: when each send left, and its recipients."""

    sent_at: list[float] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.sent_at.clear()
        self.recipients.clear()


@contextlib.contextmanager
def ses_answering_in(seconds: float) -> Iterator[Outbox]:
    """SES's SendEmail answered in `seconds` by the stand-in, which keeps what was sent in the Outbox."""
    outbox = Outbox()

    def answer(
        event_name: str, params: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        if event_name != SEND_EMAIL:
            return None
        outbox.sent_at.append(time.monotonic())
        time.sleep(seconds)
        outbox.recipients.extend(json.loads(params["body"])["Destination"]["ToAddresses"])
        return AWSResponse(params["url"], 200, HTTPHeaders(), None), {"MessageId": uuid.uuid4().hex}

    # On every call and last, so that time_in_calls, also on before-call, times the sends it answers.
    events: Any = aws.sesv2().meta.events
    events.register_last("before-call", answer)
    try:
        yield outbox
    finally:
        events.unregister("before-call", answer)


def busiest_second(times: list[float]) -> int:
    """The most sends in any one second: in each window [t, t + 1 s) that starts at a send."""
    ordered = sorted(times)
    most = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


class Countdown(Context):
    """A Lambda's remaining time, running out in real time: `seconds` of claiming, then the stop margin."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.deadline = time.monotonic() + seconds + STOP_MARGIN_MS / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


def in_sequence(recorder: Recorder, repository: Repository, runs: int) -> dict[str, Any]:
    """One worker: the metered run, then timed ones, for what each email costs on its own."""
    with workers(1), ses_answering_in(0.0):
        with recorder.recording() as calls:
            _run_all_due()
        orders_read, entries_read = _reads(calls)
        spent = total(calls, TABLES)
        seconds: list[float] = []
        inside: list[dict[str, float]] = []
        counted: Counter[str] = Counter()
        for _ in range(runs):
            bulk_orders(repository, due=DUE, future=0, idle=0)
            with counting_calls() as counts, time_in_calls(aws.dynamodb(), aws.sesv2()) as clock:
                started = time.perf_counter()
                _run_all_due()
                seconds.append(time.perf_counter() - started)
            inside.append(dict(clock))
            counted = Counter(counts)
    own = [s - sum(c.values()) for s, c in zip(seconds, inside, strict=True)]
    return {
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


def at_rate(repository: Repository, server: Server, rate: float, runs: int) -> dict[str, Any]:
    """The deployed number of workers, SES answering in 50 ms and GetAccount answering `rate`."""
    per_second: list[float] = []
    cpu_ms: list[float] = []
    in_dynamodb_ms: list[float] = []
    in_moto_ms: list[float] = []
    busiest: list[int] = []
    with ses_account(rate), ses_answering_in(SES_LATENCY_S) as outbox:
        for _ in range(runs):
            bulk_orders(repository, due=DUE, future=0, idle=0, in_process=False)
            outbox.clear()
            with cpu_in_calls(aws.dynamodb()) as clock:
                moto = server.cpu_seconds()
                started, cpu = time.perf_counter(), time.process_time()
                _run_all_due()
                per_second.append(DUE / (time.perf_counter() - started))
                cpu_ms.append((time.process_time() - cpu) * 1000 / DUE)
                in_moto_ms.append((server.cpu_seconds() - moto) * 1000 / DUE)
            in_dynamodb_ms.append(clock["dynamodb"] * 1000 / DUE)
            busiest.append(busiest_second(outbox.sent_at))
    return {
        "max_send_rate": rate,
        "emails_per_second": summarize(per_second),
        "cpu_ms_per_email": summarize(cpu_ms),
        "cpu_ms_per_email_in_dynamodb_calls": summarize(in_dynamodb_ms),
        "cpu_ms_per_email_in_moto": summarize(in_moto_ms),
        "busiest_second": max(busiest),
    }


def concurrent(runs: int) -> dict[str, Any]:
    """The runs as deployed, at each rate, with DynamoDB answered by moto from a process of its own
    (bench.dynamodb_server), in a table that holds only the orders they send.

    In this process, moto's request handling would take more of the mailer's CPU than the mailer's
    own code, under the same interpreter lock; in AWS that work is DynamoDB's. And moto answers
    every Query by walking each item of the table, where DynamoDB reads only the index range asked
    for: the 20,000-order table would charge each run's Queries of the sparse due index for the
    19,800 orders they never read.
    """
    with moto_session(), serving() as server:
        repository = Repository()
        return {
            "workers": settings.current().mailer_workers,
            "ses_latency_ms": SES_LATENCY_S * 1000,
            "rates": [at_rate(repository, server, rate, runs) for rate in (HIGH_RATE, LOW_RATE)],
        }


def in_a_new_container(runs: int) -> dict[str, Any]:
    """concurrent(runs), run by bench.mailer_concurrent in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="bench-mailer-") as folder:
        answer = Path(folder) / "concurrent.json"
        command = [
            sys.executable,
            "-m",
            "bench.mailer_concurrent",
            "--runs",
            str(runs),
            "--output",
            str(answer),
        ]
        subprocess.run(command, check=True)
        result: dict[str, Any] = json.loads(answer.read_text(encoding="utf-8"))
        return result


def backlog(orders: int) -> dict[str, Any]:
    """`orders` due at once, sent by runs of BACKLOG_RUN_S seconds; raises unless each went out once."""
    # bulk_orders makes its n-th order due n seconds after an hour before SEND_AT: all are due by then.
    at = SEND_AT + timedelta(seconds=orders)
    with moto_session(), ses_answering_in(SES_LATENCY_S) as outbox:
        bulk_orders(Repository(), due=orders, future=0, idle=0)
        summaries: list[dict[str, Any]] = []
        started = time.perf_counter()
        while not summaries or summaries[-1]["stopped_early"]:
            summaries.append(_quiet_run(at, Countdown(BACKLOG_RUN_S)))
            if summaries[-1]["errors"] or not summaries[-1]["due"]:
                raise RuntimeError(f"a backlog run failed or found nothing due: {summaries[-1]}")
        seconds = time.perf_counter() - started
        recipients = Counter(outbox.recipients)
    sent = sum(summary["sent"] for summary in summaries)
    twice = sum(count > 1 for count in recipients.values())
    if (sent, len(recipients), twice) != (orders, orders, 0):
        raise RuntimeError(
            f"the backlog of {orders} went out as {sent} emails to {len(recipients)} addresses, "
            f"{twice} of them more than once"
        )
    return {
        "orders": orders,
        "run_seconds": BACKLOG_RUN_S,
        "runs": len(summaries),
        "sent_per_run": [summary["sent"] for summary in summaries],
        "seconds": round(seconds, 1),
        "emails_per_second": round(orders / seconds, 1),
        "sent_twice": twice,
    }


def run(runs: int, backlog_orders: int) -> dict[str, Any]:
    with moto_session() as (_, recorder):
        repository = Repository()
        started = time.perf_counter()
        bulk_orders(repository, due=DUE, future=FUTURE, idle=ORDERS - DUE - FUTURE)
        seeded = time.perf_counter() - started
        sequence = in_sequence(recorder, repository, runs)
    return {
        "orders": ORDERS,
        "due": DUE,
        "runs": runs,
        "seconds_to_seed": round(seeded, 1),
        **sequence,
        "concurrent": in_a_new_container(runs),
        "backlog": backlog(backlog_orders),
    }


def main() -> None:
    output.part(__doc__, run, runs=5, backlog_orders=BACKLOG)


if __name__ == "__main__":
    main()
