"""Warm handler overhead: each recorded request replayed in-process with its DynamoDB calls answered
by botocore's Stubber, so only our code (and botocore's request building) is timed.

The recordings come from moto (bench/scenarios.py); the Stubber hands back the very
responses moto gave, in order, and checks that each invocation made every call it
made there. Log lines are formatted and written as in Lambda, to nowhere. The GET
route is also profiled, and replayed through the FastAPI + Mangum peer when installed.
Besides one request per route, and after them, a list page of 100 orders of 100 items each is timed.

    python -m bench.warm [--invocations 200]
"""

from __future__ import annotations

import copy
import cProfile
import gc
import importlib
import importlib.util
import json
import pstats
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore import xform_name
from botocore.stub import Stubber
from orders_api.adapters import aws

from bench import output
from bench.recorder import Call
from bench.scenarios import Recording, record_all, record_list_page
from bench.stats import summarize
from testkit import Context, handler_module

WARMUP = 20
PROFILED_INVOCATIONS = 100
TOP_PROFILE = 6
STDLIB = Path(sysconfig.get_paths()["stdlib"])
Handler = Callable[[dict[str, Any], Any], Any]


def _queue(stubber: Stubber, calls: list[Call]) -> None:
    for call in calls:
        if call.failed:
            raise RuntimeError(f"{call.operation} failed while recording; a replay would not be faithful")
        stubber.add_response(xform_name(call.operation), copy.deepcopy(call.response))


def _status(answer: Any) -> int:
    return int(answer["statusCode"]) if "statusCode" in answer else 200


def invoke(stubber: Stubber, recording: Recording, handler: Handler) -> float:
    """Seconds one invocation takes, its responses queued and its event copied beforehand."""
    _queue(stubber, recording.calls)
    event = copy.deepcopy(recording.event)
    started = time.perf_counter()
    answer = handler(event, Context())
    elapsed = time.perf_counter() - started
    stubber.assert_no_pending_responses()
    if _status(answer) != recording.status:
        raise RuntimeError(
            f"{recording.route} answered {_status(answer)} on replay, {recording.status} in moto"
        )
    return elapsed


@dataclass(frozen=True)
class Subject:
    """One recorded request and the handler that answers it."""

    route: str
    function: str
    recording: Recording
    handler: Handler


def interleaved(stubber: Stubber, subjects: list[Subject], invocations: int) -> list[list[float]]:
    """Seconds per invocation of each subject, taken in turn (one of each, repeated) after a
    warm-up, so that noise on a shared machine falls on every route alike."""
    for subject in subjects:
        for _ in range(WARMUP):
            invoke(stubber, subject.recording, subject.handler)
    gc.collect()
    samples: list[list[float]] = [[] for _ in subjects]
    for _ in range(invocations):
        for index, subject in enumerate(subjects):
            samples[index].append(invoke(stubber, subject.recording, subject.handler))
    return samples


def _group(filename: str, function: str) -> str:
    """Where a profiled function lives: a package, our layer, the standard library or a builtin."""
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "orders_api" in path.parts:
        return ".".join(path.parts[path.parts.index("orders_api") :]).removesuffix(".py")
    if path.is_relative_to(STDLIB):
        return path.relative_to(STDLIB).parts[0].removesuffix(".py")
    if " of '" in function:
        return function.split(" of '", 1)[1].split(".", 1)[0].strip("'>")
    return "builtins"


def profile(stubber: Stubber, recording: Recording) -> list[dict[str, Any]]:
    """Shares of own time (tottime) per place, over many invocations under cProfile."""
    profiler = cProfile.Profile()
    run = handler_module(recording.function).lambda_handler
    for _ in range(PROFILED_INVOCATIONS):
        _queue(stubber, recording.calls)
        event = copy.deepcopy(recording.event)
        profiler.enable()
        run(event, Context())
        profiler.disable()
    spent: dict[str, float] = defaultdict(float)
    for (filename, _, function), row in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        spent[_group(filename, function)] += row[2]
    everything = sum(spent.values()) or 1.0
    top = sorted(spent.items(), key=lambda item: item[1], reverse=True)[:TOP_PROFILE]
    return [{"where": where, "share": round(seconds / everything, 3)} for where, seconds in top]


def peers(stubber: Stubber, recordings: list[Recording]) -> list[Subject]:
    """The GET through FastAPI + Mangum, once it is checked to answer our body; none when not installed."""
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("mangum") is None:
        return []
    theirs: Handler = importlib.import_module("bench.peer_fastapi").lambda_handler
    found: list[Subject] = []
    for recording in recordings:
        if recording.route != "get_order":
            continue
        answers = []
        for handler in (theirs, handler_module(recording.function).lambda_handler):
            _queue(stubber, recording.calls)
            answers.append(json.loads(handler(copy.deepcopy(recording.event), Context())["body"]))
        if answers[0] != answers[1]:
            raise RuntimeError("the peer answers the GET with another body")
        found.append(Subject("peer (FastAPI + Mangum)", "peer", recording, theirs))
    return found


def _subject(recording: Recording) -> Subject:
    return Subject(
        recording.route, recording.function_name, recording, handler_module(recording.function).lambda_handler
    )


def run(invocations: int) -> dict[str, Any]:
    recordings = record_all()
    with Stubber(aws.dynamodb()) as stubber:
        subjects = [_subject(r) for r in recordings] + peers(stubber, recordings)
        samples = interleaved(stubber, subjects, invocations)
        profiles = [
            {"route": r.route, "items": r.items, "top": profile(stubber, r)}
            for r in recordings
            if r.route == "get_order"
        ]
    # The list page afterwards, on its own: its 5 MB of responses, in memory and copied before each
    # call, would lengthen the collector's passes while the other routes are timed.
    page = _subject(record_list_page())
    with Stubber(aws.dynamodb()) as stubber:
        samples += interleaved(stubber, [page], invocations)
    subjects.append(page)
    return {
        "invocations": invocations,
        "warmup": WARMUP,
        "routes": [
            {
                "route": s.route,
                "function": s.function,
                "items": s.recording.items,
                "ms": summarize(times, 1000),
            }
            for s, times in zip(subjects, samples, strict=True)
        ],
        "profiles": profiles,
    }


def main() -> None:
    output.part(__doc__, run, invocations=200)


if __name__ == "__main__":
    main()
