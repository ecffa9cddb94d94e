"""Orders and customers read only to be shown: GET of an order or a customer (list pages: store.pages).

They answer from what the table holds, as orders_api.domain.public shows it, and never build
the models (orders_api.store.orders does, for the writers), so the functions that only read
load neither pydantic nor the models.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from orders_api.domain.public import order_json
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, string_value
from orders_api.store.table import TableStore

# Beside each order's document since the read functions show it as stored: domain.public.defaults_named.
DEFAULTS_NAMED = "defaults_named"


class ShownOrder(NamedTuple):
    """An order as the API shows it (JSON text) and its version, for the ETag."""

    json: str
    version: int


def order_key(client_id: str, order_id: str) -> AttributeMap:
    return {"pk": string_value(keys.order_pk(client_id, order_id)), "sk": string_value(keys.ORDER_SK)}


def customer_key(client_id: str, customer_id: str) -> AttributeMap:
    return {
        "pk": string_value(keys.customer_pk(client_id, customer_id)),
        "sk": string_value(keys.CUSTOMER_SK),
    }


def shown_order(item: AttributeMap) -> ShownOrder:
    version = int(item["version"]["N"])
    opt_out = item.get("opt_out", {}).get("BOOL", False)
    named = item.get(DEFAULTS_NAMED, {}).get("BOOL")
    return ShownOrder(order_json(item["doc"]["S"], version, opt_out, named=named), version)


def customer_fields(item: AttributeMap) -> dict[str, Any]:
    """A customer item's fields, in the Customer model's order; the instants as stored (format_instant)."""

    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return {
        "id": text("customer_id"),
        "email": text("email"),
        "name": text("name"),
        "phone": text("phone"),
        "opt_out": item.get("opt_out", {}).get("BOOL", False),
        "erased": item.get("erased", {}).get("BOOL", False),
        "created_at": text("created_at"),
        "updated_at": text("updated_at"),
    }


class Documents(TableStore):
    def order(self, client_id: str, order_id: str) -> ShownOrder | None:
        item = self.item_at(order_key(client_id, order_id), consistent=True)
        return shown_order(item) if item else None

    def customer(self, client_id: str, customer_id: str) -> dict[str, Any] | None:
        item = self.item_at(customer_key(client_id, customer_id), consistent=True)
        return customer_fields(item) if item else None

    def order_and_mail(self, client_id: str, order_id: str) -> tuple[ShownOrder, dict[str, Any]] | None:
        """An order as shown and its mail state as stored (orders_api.domain.mail_state), for the preview."""
        item = self.item_at(order_key(client_id, order_id), consistent=True)
        if not item:
            return None
        return shown_order(item), json.loads(item["mail"]["S"]) if "mail" in item else {}
