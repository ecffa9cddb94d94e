"""Time spent inside AWS calls, per service, so a run's own share can be told apart from its fakes'."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def time_in_calls(
    *clients: Any, timer: Callable[[], float] = time.perf_counter
) -> Iterator[dict[str, float]]:
    """Seconds between each call's request and its parsed response, summed by service name.

    timer=time.thread_time counts the CPU the calling thread spends in them instead (moto's work,
    when moto answers in-process), which stays right when calls run side by side in threads.
    """
    spent: dict[str, float] = defaultdict(float)
    lock = threading.Lock()

    def before(context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = timer()

    def after(event_name: str, context: dict[str, Any], **_: Any) -> None:
        took = timer() - context.pop("bench_started")
        with lock:
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
