"""Reading to show: one order, a page of orders, one customer, each as the API shows it.

Documents in the table were checked when they were written, so these answer from them as
stored (orders_api.store.documents) without building the models again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orders_api.app import listing as pages
from orders_api.app.stores import UsesStores
from orders_api.domain import listing
from orders_api.domain.errors import NotFound
from orders_api.store.documents import ShownOrder, is_position_of


@dataclass
class Page:
    """Orders as the API shows them (each JSON text), and the cursor of the next page (None on the last)."""

    data: list[str]
    cursor: str | None


class Reads(UsesStores):
    def order(self, client_id: str, order_id: str) -> ShownOrder:
        shown = self.documents.order(client_id, order_id)
        if shown is None:
            raise NotFound(f"Order {order_id!r} does not exist.")
        return shown

    def page(self, client_id: str, query: listing.ListQuery, after: str | None) -> Page:
        """A page of the client's orders, with the cursor of the next page (None on the last)."""
        plan = listing.plan(client_id, query)
        start = pages.decode_cursor(plan, after, is_position_of) if after is not None else None
        page = pages.read_page(self.documents.query_orders, plan, start, query.limit)
        cursor = pages.encode_cursor(plan, page.next) if page.next is not None else None
        return Page(data=page.data, cursor=cursor)

    def customer(self, client_id: str, customer_id: str) -> dict[str, Any]:
        """The customer as the customer routes show it: with the suppression of their address."""
        fields = self.documents.customer(client_id, customer_id)
        if fields is None:
            raise NotFound(f"Customer {customer_id!r} does not exist.")
        email = fields["email"]
        return {**fields, "suppressed": self.deliverability.suppression(client_id, email) if email else None}
