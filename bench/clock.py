"""Time spent inside AWS calls, per service, so a run's own share can be told apart from its fakes'."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from testkit.functions import handling

Hook = Callable[..., None]


@contextmanager
def _around_calls(clients: tuple[Any, ...], before: Hook, after: Hook) -> Iterator[None]:
    # A call that raises before its response is parsed (a connection error) ends on after-call-error.
    with ExitStack() as hooks:
        for client in clients:
            hooks.enter_context(handling(client, "before-call", before))
            hooks.enter_context(handling(client, "after-call", after))
            hooks.enter_context(handling(client, "after-call-error", after))
        yield


def _service(event_name: str) -> str:
    return event_name.split(".")[1]


@contextmanager
def time_in_calls(*clients: Any) -> Iterator[dict[str, float]]:
    """Seconds during which at least one call of each service was in flight.

    Calls side by side in threads (the mailer reads the due index's shards at once) count once,
    so a run's seconds minus these are the seconds it spent outside the calls.
    """
    spent: dict[str, float] = defaultdict(float)
    in_flight: dict[str, int] = defaultdict(int)
    since: dict[str, float] = {}
    lock = threading.Lock()

    def before(event_name: str, **_: Any) -> None:
        service = _service(event_name)
        with lock:
            if in_flight[service] == 0:
                since[service] = time.perf_counter()
            in_flight[service] += 1

    def after(event_name: str, **_: Any) -> None:
        service = _service(event_name)
        with lock:
            in_flight[service] -= 1
            if in_flight[service] == 0:
                spent[service] += time.perf_counter() - since.pop(service)

    with _around_calls(clients, before, after):
        yield spent


@contextmanager
def cpu_in_calls(*clients: Any) -> Iterator[dict[str, float]]:
    """CPU seconds the calling threads spend inside each service's calls, summed over the threads (moto's
    work when it answers in-process, or botocore's and the HTTP client's when it does not)."""
    spent: dict[str, float] = defaultdict(float)
    lock = threading.Lock()

    def before(context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = time.thread_time()

    def after(event_name: str, context: dict[str, Any], **_: Any) -> None:
        took = time.thread_time() - context.pop("bench_started")
        with lock:
            spent[_service(event_name)] += took

    with _around_calls(clients, before, after):
        yield spent
