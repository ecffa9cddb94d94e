"""Reading to show: one order or one customer, as the API shows it (pages: orders_api.app.listing).

Documents in the table were checked when they were written, so these answer from them as
stored (orders_api.store.documents) without building the models again.
"""

from __future__ import annotations

from typing import Any

from orders_api.app.stores import UsesStores
from orders_api.domain.errors import NotFound
from orders_api.store.documents import ShownOrder


class Reads(UsesStores):
    def order(self, client_id: str, order_id: str) -> ShownOrder:
        shown = self.documents.order(client_id, order_id)
        if shown is None:
            raise NotFound(f"Order {order_id!r} does not exist.")
        return shown

    def customer(self, client_id: str, customer_id: str) -> dict[str, Any]:
        """The customer as the customer routes show it: with the suppression of their address."""
        fields = self.documents.customer(client_id, customer_id)
        if fields is None:
            raise NotFound(f"Customer {customer_id!r} does not exist.")
        email = fields["email"]
        return {**fields, "suppressed": self.deliverability.suppression(client_id, email) if email else None}
