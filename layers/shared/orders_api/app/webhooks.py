"""Registering, reading and deleting a client's webhooks, and their delivery log."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from datetime import datetime

from orders_api.adapters import sealing, webhook_http
from orders_api.app.clock import utcnow
from orders_api.app.stores import UsesStores
from orders_api.domain.errors import Invalid
from orders_api.domain.field_errors import FieldError
from orders_api.domain.webhooks import (
    SECRET_PREFIX,
    Delivery,
    UrlRefused,
    Webhook,
    WebhookCreated,
    WebhookIn,
)
from orders_api.store.webhooks import Webhooks


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookAdmin(UsesStores):
    """Built on first use, like the other use cases, so importing a handler costs no AWS setup."""

    def __init__(self, store: Webhooks | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(webhooks=store)
        self.clock = clock

    def create(self, client_id: str, request: WebhookIn) -> WebhookCreated:
        """Checks the URL (resolving its host now; delivery checks again), then stores the sealed secret."""
        try:
            webhook_http.checked_address(request.url)
        except UrlRefused as error:
            raise Invalid(
                "The webhook URL is refused.", errors=[FieldError(field="url", message=str(error))]
            ) from None
        webhook = Webhook(
            id="wh_" + secrets.token_hex(12),
            url=request.url,
            events=request.events,
            description=request.description,
            created_at=self.clock(),
        )
        secret = new_secret()
        self.webhooks.add(client_id, webhook, sealing.seal(secret, client_id, webhook.id))
        return WebhookCreated(**webhook.model_dump(), secret=secret)

    def of_client(self, client_id: str) -> list[Webhook]:
        return [webhook for webhook, _ in self.webhooks.of_client(client_id)]

    def get(self, client_id: str, webhook_id: str) -> Webhook:
        return self.webhooks.get(client_id, webhook_id)[0]

    def delete(self, client_id: str, webhook_id: str) -> Webhook:
        return self.webhooks.delete(client_id, webhook_id)

    def deliveries(self, client_id: str, webhook_id: str) -> list[Delivery]:
        """NotFound for an unknown (or another client's) webhook, so its log is never read."""
        self.webhooks.get(client_id, webhook_id)
        return self.webhooks.deliveries(client_id, webhook_id)
