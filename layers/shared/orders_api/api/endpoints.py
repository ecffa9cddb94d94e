"""Every route of the API, as method and resource path: the one list the route modules, the
fallback and the tests read. Plain data, so the fallback answers 405s without loading a route.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PARAMETER = re.compile(r"\{(\w+)\}")


class Endpoint(NamedTuple):
    """A NamedTuple rather than a dataclass: the fallback imports this, and dataclasses costs 10 ms."""

    method: str
    path: str

    @property
    def rule(self) -> str:
        """The path as Powertools' resolver writes it: <name> for {name}."""
        return _PARAMETER.sub(r"<\1>", self.path)


CREATE_ORDER = Endpoint("POST", "/v1/orders")
CREATE_ORDERS = Endpoint("POST", "/v1/orders/batch")
LIST_ORDERS = Endpoint("GET", "/v1/orders")
GET_ORDER = Endpoint("GET", "/v1/orders/{order_id}")
DELETE_ORDER = Endpoint("DELETE", "/v1/orders/{order_id}")
UPDATE_ORDER_STATUS = Endpoint("PUT", "/v1/orders/{order_id}/status")
GET_CUSTOMER = Endpoint("GET", "/v1/customers/{customer_id}")
UPDATE_CUSTOMER = Endpoint("PATCH", "/v1/customers/{customer_id}")
ERASE_CUSTOMER = Endpoint("POST", "/v1/customers/{customer_id}/erase")
ERASE_BY_EMAIL = Endpoint("POST", "/v1/erasures")
UNSUBSCRIBE = Endpoint("GET", "/v1/unsubscribe")
UNSUBSCRIBE_ONE_CLICK = Endpoint("POST", "/v1/unsubscribe")
LIST_TEMPLATES = Endpoint("GET", "/v1/templates")
GET_TEMPLATE = Endpoint("GET", "/v1/templates/{kind}/{locale}")
PUT_TEMPLATE = Endpoint("PUT", "/v1/templates/{kind}/{locale}")
DELETE_TEMPLATE = Endpoint("DELETE", "/v1/templates/{kind}/{locale}")
PREVIEW_EMAIL = Endpoint("GET", "/v1/orders/{order_id}/emails/preview")
OPENAPI_DOCUMENT = Endpoint("GET", "/v1/openapi.json")
SWAGGER_UI = Endpoint("GET", "/v1/docs")
CREATE_WEBHOOK = Endpoint("POST", "/v1/webhooks")
LIST_WEBHOOKS = Endpoint("GET", "/v1/webhooks")
GET_WEBHOOK = Endpoint("GET", "/v1/webhooks/{webhook_id}")
DELETE_WEBHOOK = Endpoint("DELETE", "/v1/webhooks/{webhook_id}")
LIST_WEBHOOK_DELIVERIES = Endpoint("GET", "/v1/webhooks/{webhook_id}/deliveries")

ALL = (
    CREATE_ORDER,
    CREATE_ORDERS,
    LIST_ORDERS,
    GET_ORDER,
    DELETE_ORDER,
    UPDATE_ORDER_STATUS,
    GET_CUSTOMER,
    UPDATE_CUSTOMER,
    ERASE_CUSTOMER,
    ERASE_BY_EMAIL,
    UNSUBSCRIBE,
    UNSUBSCRIBE_ONE_CLICK,
    LIST_TEMPLATES,
    GET_TEMPLATE,
    PUT_TEMPLATE,
    DELETE_TEMPLATE,
    PREVIEW_EMAIL,
    OPENAPI_DOCUMENT,
    SWAGGER_UI,
    CREATE_WEBHOOK,
    LIST_WEBHOOKS,
    GET_WEBHOOK,
    DELETE_WEBHOOK,
    LIST_WEBHOOK_DELIVERIES,
)


def allowed_methods() -> dict[str, list[str]]:
    """Resource path -> the methods it offers."""
    table: dict[str, set[str]] = {}
    for endpoint in ALL:
        table.setdefault(endpoint.path, set()).add(endpoint.method)
    return {path: sorted(methods) for path, methods in table.items()}
