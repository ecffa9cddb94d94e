"""Routes, one module per Lambda function; the docs and fallback functions read them all."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from orders_api.app.orders import Orders

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Router

ROUTE_MODULES = (
    "create_order",
    "get_order",
    "delete_order",
    "update_order_status",
    "list_orders",
    "get_customer",
    "update_customer",
    "unsubscribe",
)

orders = Orders()


def routers() -> list[Router]:
    """Every route of the API: one router per function's module, and the docs routes."""
    modules = [*(f"{__name__}.{name}" for name in ROUTE_MODULES), "orders_api.api.docs"]
    return [importlib.import_module(module).router for module in modules]
