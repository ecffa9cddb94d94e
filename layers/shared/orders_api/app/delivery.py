"""One webhook delivery attempt: sign the event, POST it, log the attempt, say what comes next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from orders_api.adapters import sealing, webhook_http
from orders_api.app.clock import utcnow
from orders_api.app.events import read_message
from orders_api.app.stores import UsesStores
from orders_api.domain.errors import NotFound
from orders_api.domain.serialization import dumps
from orders_api.domain.webhooks import Delivery, Outcome, UrlRefused, outcome, signature
from orders_api.log import logger
from orders_api.store.webhooks import Webhooks


class Deliverer(UsesStores):
    def __init__(self, store: Webhooks | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(webhooks=store)
        self.clock = clock
        webhook_http.tls()  # every attempt connects: made with the deliverer, not on the first message

    def deliver(self, body: str, attempt: int) -> Outcome:
        """A deleted webhook counts as delivered: there is no one left to deliver to."""
        client_id, webhook_id, event = read_message(body)
        try:
            webhook, sealed = self.webhooks.get(client_id, webhook_id)
        except NotFound:
            return "delivered"
        now = self.clock()
        payload = dumps(event)
        timestamp = int(now.timestamp())
        secret = sealing.open_sealed(sealed, client_id, webhook_id)
        headers = {
            "webhook-id": event["id"],
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secret, event["id"], timestamp, payload),
        }
        status_code: int | None = None
        error: str | None = None
        try:
            status_code = webhook_http.post(webhook.url, payload.encode(), headers)
        except UrlRefused as refused:
            error = f"refused: {refused}"
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
        result = outcome(status_code, attempt)
        if result != "delivered" and error is None:
            error = f"HTTP {status_code}"
        self.webhooks.record_delivery(
            client_id,
            webhook_id,
            Delivery(
                event_id=event["id"],
                type=event["type"],
                attempt=attempt,
                status_code=status_code,
                error=error,
                at=now,
            ),
            now,
        )
        logger.info(
            "webhook attempt",
            extra={"webhook_id": webhook_id, "event_id": event["id"], "attempt": attempt, "outcome": result},
        )
        return result
