"""Time spent inside AWS calls, per service, so a run's own share can be told apart from its fakes'."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def time_in_calls(*clients: Any) -> Iterator[dict[str, float]]:
    """Seconds between each call's request and its parsed response, summed by service name.

    Calls made at once by several threads each count in full: the sum can exceed the wall time."""
    spent: dict[str, float] = defaultdict(float)
    adding = threading.Lock()

    def before(context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = time.perf_counter()

    def after(event_name: str, context: dict[str, Any], **_: Any) -> None:
        took = time.perf_counter() - context.pop("bench_started")
        with adding:
            spent[event_name.split(".")[1]] += took

    for client in clients:
        client.meta.events.register("before-call", before)
        client.meta.events.register("after-call", after)
    try:
        yield spent
    finally:
        for client in clients:
            client.meta.events.unregister("before-call", before)
            client.meta.events.unregister("after-call", after)
