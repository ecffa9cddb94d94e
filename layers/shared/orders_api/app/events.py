"""The events function's work: a batch of stream records in, events on the bus and webhook messages out.

Records are handled in stream order. The first record that cannot be handled ends the batch: it
and every later record are left for Lambda to retry (from its sequence number). Each event goes to
the bus and, once per matching webhook of its client, to the delivery queue, whose messages are sent
ten to a call across the batch's events. A retry sends again only what the failed record and the
ones after it had sent, under the same event ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from orders_api.adapters import bus, queue
from orders_api.app.stores import UsesStores
from orders_api.domain.events import Event, derive, matches
from orders_api.domain.serialization import dumps
from orders_api.domain.webhooks import Webhook
from orders_api.log import logger
from orders_api.store.stream import change_of
from orders_api.store.webhooks import Webhooks


@dataclass
class BatchOutcome:
    """`failed` is the index of the first record left for a retry, None when all were handled."""

    failed: int | None = None
    events: list[Event] = field(default_factory=list)
    put_calls: int = 0
    messages: int = 0


def delivery_message(client_id: str, webhook_id: str, event: Event) -> str:
    return dumps({"client_id": client_id, "webhook_id": webhook_id, "event": event.as_dict()})


def read_message(body: str) -> tuple[str, str, dict[str, Any]]:
    payload = json.loads(body)
    return payload["client_id"], payload["webhook_id"], payload["event"]


class EventsRun(UsesStores):
    def __init__(self, store: Webhooks | None = None) -> None:
        super().__init__(webhooks=store)

    def process(self, records: list[dict[str, Any]]) -> BatchOutcome:
        outcome = BatchOutcome()
        derived: list[tuple[int, Event]] = []
        for index, record in enumerate(records):
            try:
                change = change_of(record)
                derived.extend((index, event) for event in (derive(change) if change else []))
            except Exception:
                logger.exception("stream record unreadable", extra={"event_id": record.get("eventID")})
                outcome.failed = index
                break
        try:
            outcome.put_calls = bus.put([event for _, event in derived])
        except bus.PutFailed as error:
            logger.error("events not put", extra={"detail": str(error)})
            outcome.failed = derived[error.first][0]
        kept = [(i, e) for i, e in derived if outcome.failed is None or i < outcome.failed]
        outcome.events = [event for _, event in kept]
        outcome.messages = self._fan_out(kept, outcome)
        return outcome

    def _fan_out(self, derived: list[tuple[int, Event]], outcome: BatchOutcome) -> int:
        """Queues one message per event and matching webhook, ten to a call across the batch's events.

        A call that fails leaves the record of its first message, and every later one, for a retry.
        """
        subscribed: dict[str, list[Webhook]] = {}
        messages: list[tuple[int, str]] = []
        for index, event in derived:
            if event.client_id not in subscribed:
                subscribed[event.client_id] = [w for w, _ in self.webhooks.of_client(event.client_id)]
            messages += [
                (index, delivery_message(event.client_id, webhook.id, event))
                for webhook in subscribed[event.client_id]
                if matches(webhook.events, event.type)
            ]
        for start in range(0, len(messages), queue.BATCH):
            chunk = messages[start : start + queue.BATCH]
            try:
                queue.send([body for _, body in chunk])
            except Exception:
                first = chunk[0][0]
                event_id = next(event.id for index, event in derived if index == first)
                logger.exception("webhook messages not queued", extra={"event_id": event_id})
                outcome.failed = first if outcome.failed is None else min(outcome.failed, first)
                outcome.events = [e for i, e in derived if i < first]
                return start
        return len(messages)
