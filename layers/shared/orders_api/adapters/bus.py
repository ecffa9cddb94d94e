"""The stack's EventBridge bus: events put ten at a time, failed entries put again."""

from __future__ import annotations

from collections.abc import Sequence

from orders_api import settings
from orders_api.adapters import aws
from orders_api.domain.events import SOURCE, Event
from orders_api.domain.serialization import dumps

BATCH = 10
ATTEMPTS = 3


class PutFailed(RuntimeError):
    """EventBridge refused entries after every attempt; `first` is the index of the earliest one."""

    def __init__(self, first: int, detail: str) -> None:
        super().__init__(detail)
        self.first = first


def put(events: Sequence[Event]) -> int:
    """Puts the events in order, in batches of 10; answers the number of PutEvents calls."""
    calls = 0
    bus = settings.current().bus_name
    for start in range(0, len(events), BATCH):
        pending = list(range(start, min(start + BATCH, len(events))))
        for _ in range(ATTEMPTS):
            calls += 1
            response = aws.events().put_events(
                Entries=[
                    {
                        "EventBusName": bus,
                        "Source": SOURCE,
                        "DetailType": events[i].type,
                        "Detail": dumps(events[i].as_dict()),
                    }
                    for i in pending
                ]
            )
            results = response.get("Entries", [])
            pending = [i for i, result in zip(pending, results, strict=True) if "EventId" not in result]
            if not pending:
                break
        if pending:
            raise PutFailed(
                pending[0], f"EventBridge refused {len(pending)} entries after {ATTEMPTS} attempts"
            )
    return calls
