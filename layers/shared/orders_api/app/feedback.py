"""SES's feedback: a permanent bounce or a complaint suppresses the address for the client it was sent for.

What was still pending for that address (invitations, reminders, status emails) ends
with the reason at once; the mailer also checks the suppression right before every
send, so an order written later is stopped too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from orders_api.app.clock import utcnow
from orders_api.app.orders import Orders
from orders_api.app.stores import UsesStores
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import NotFound
from orders_api.domain.models import Suppression
from orders_api.domain.privacy import no_status_emails, stopped
from orders_api.log import logger
from orders_api.store.orders import Repository


class Feedback(UsesStores):
    def __init__(self, repository: Repository | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(repository)
        self.clock = clock
        self.orders = Orders(repository, clock)

    def suppress(self, client_id: str, email: str, reason: Suppression) -> int:
        """Suppresses the address and stops what is pending for it; the number of orders looked at."""
        self.deliverability.suppress(client_id, email, reason, self.clock())
        settings = ClientSettings.stored(client_id, self.registry.get_client_settings(client_id))
        orders = self.repository.orders_with_email(client_id, email)
        for order_id, _ in orders:
            try:
                self.orders.change(settings, order_id, stopped(reason), mail_change=no_status_emails)
            except NotFound:
                continue
        logger.info(
            "address suppressed", extra={"client_id": client_id, "reason": reason, "orders": len(orders)}
        )
        return len(orders)
