"""A fault to force, locally only: the next API request fails at its Nth DynamoDB write.

It shows over real HTTP what a failure half-way leaves and that a retry finishes it (an
erasure, say). The write is answered as DynamoDB answers one it fails after the SDK's
retries, an InternalServerError, so the code under test sees what it would in AWS. The
fault applies to the next invocation of an API function only, whether or not that request
writes that often, and never to the authorizer, a stream, a queue or the schedule.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from orders_api.adapters import aws

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
_FAILED = {
    "Error": {"Code": "InternalServerError", "Message": "Internal server error (forced by /_local/faults)"}
}


class Faults:
    """The fault armed for the next API request, if any."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fail_write: int | None = None

    @property
    def fail_write(self) -> int | None:
        return self._fail_write

    def arm(self, fail_write: int) -> None:
        with self._lock:
            self._fail_write = fail_write

    def disarm(self) -> None:
        with self._lock:
            self._fail_write = None

    @contextmanager
    def next_request(self) -> Iterator[None]:
        """Runs one API invocation with the armed fault, which it takes: the fault applies once."""
        with self._lock:
            fail_write, self._fail_write = self._fail_write, None
        if fail_write is None:
            yield
            return
        with failing_write(aws.dynamodb(), fail_write):
            yield


@contextmanager
def failing_write(client: Any, number: int) -> Iterator[None]:
    """The client's `number`th write (counted over every thread) fails while the block runs."""
    lock = threading.Lock()
    writes = 0

    def fail(event_name: str, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        nonlocal writes
        if event_name.rsplit(".", 1)[-1] not in WRITES:
            return None
        with lock:
            writes += 1
            if writes != number:
                return None
        return AWSResponse("", 500, HTTPHeaders(), None), _FAILED

    client.meta.events.register("before-call.dynamodb", fail)
    try:
        yield
    finally:
        client.meta.events.unregister("before-call.dynamodb", fail)
