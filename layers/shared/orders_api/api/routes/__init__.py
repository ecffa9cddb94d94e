"""Routes, one module per Lambda function; the docs function reads them all for the document."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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
    "erase_customer",
    "unsubscribe",
    "list_templates",
    "get_template",
    "put_template",
    "delete_template",
    "preview_email",
    "create_webhook",
    "read_webhooks",
    "delete_webhook",
)


def routers() -> list[Router]:
    """Every route module's router as the document declares it (each function loads only its own).

    The declarations of the routes whose functions run without pydantic need the models those
    functions never load: they are in routes/documented.py.
    """
    documented: dict[str, Router] = importlib.import_module(f"{__name__}.documented").ROUTERS
    return [
        documented.get(name) or importlib.import_module(f"{__name__}.{name}").router for name in ROUTE_MODULES
    ]
