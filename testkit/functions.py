"""The template's functions loaded as the local runtime loads them, and the DynamoDB calls they make."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from orders_api.adapters import aws as aws_clients
from orders_local.runtime import FunctionRuntime
from orders_local.template import load_template

TEMPLATE = load_template()
REGION = "eu-west-1"


class Context:
    """The parts of the Lambda context the handlers and Powertools use."""

    function_name = "test-function"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id = "test-request"
    log_group_name = "/aws/lambda/test"
    log_stream_name = "test"

    def __init__(self, remaining_ms: int = 10_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class DynamoCalls(Counter[str]):
    """DynamoDB operations the functions send, by operation name (the authorizer's are not counted)."""

    paused = False


@contextmanager
def counting_calls() -> Iterator[DynamoCalls]:
    """Counts the DynamoDB operations the functions send while the block runs, from any thread."""
    calls = DynamoCalls()
    counting = threading.Lock()

    def count(event_name: str, **_: Any) -> None:
        if not DynamoCalls.paused:
            with counting:
                calls[event_name.rsplit(".", 1)[-1]] += 1

    with handling(aws_clients.dynamodb(), "before-call.dynamodb", count):
        yield calls


@contextmanager
def environment_variable(name: str, value: str) -> Iterator[None]:
    """The variable set to value while the block runs; as it was (or unset) after it."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


@contextmanager
def handling(client: Any, event: str, handler: Callable[..., Any]) -> Iterator[None]:
    """`handler` on the client's `event` while the block runs (botocore's events: a handler that answers
    a before-call event answers in AWS's place)."""
    events = client.meta.events
    events.register(event, handler)
    try:
        yield
    finally:
        events.unregister(event, handler)


class Functions(FunctionRuntime):
    """The runtime `make run` uses, keeping each event it is given; DynamoCalls pauses for the authorizer."""

    def __init__(self) -> None:
        super().__init__(TEMPLATE, REGION)
        self.authorizers = {authorizer.function for authorizer in TEMPLATE.authorizers.values()}
        self.invoked: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        self.invoked.append((name, event))
        if name not in self.authorizers:
            return super().invoke(name, event)
        DynamoCalls.paused = True
        try:
            return super().invoke(name, event)
        finally:
            DynamoCalls.paused = False


FUNCTIONS = Functions()


def handler_module(function: str) -> ModuleType:
    """The function's handler module, loaded once like a warm container: the one the API calls go to."""
    return FUNCTIONS.module(function)
