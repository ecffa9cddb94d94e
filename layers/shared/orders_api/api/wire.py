"""What the routes that work on the wire models share: the caller's settings as the model, and
answers made from models. The functions that only read never load this (see orders_api.api.resolver).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
from pydantic import BaseModel

from orders_api.api.resolver import authorizer_context, caller_id, json_response, json_text_response
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.scalars import STORED

if TYPE_CHECKING:
    from orders_api.domain.models import Order


def model_response(status: int, model: BaseModel, headers: Mapping[str, str] | None = None) -> Response[str]:
    return json_text_response(status, model.model_dump_json(by_alias=True), headers)


def order_response(
    order: Order, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response[str]:
    return json_response(status, {"data": order.public()}, {"ETag": f'"{order.version}"', **(headers or {})})


def caller_settings(app: BaseRouter) -> ClientSettings:
    """The calling client, as the authorizer established it; never read from the request."""
    return _settings(caller_id(app), authorizer_context(app).get("settings"))


@lru_cache(maxsize=64)
def _settings(client_id: str, settings_json: str | None) -> ClientSettings:
    """The authorizer hands the same settings to every request of a client: parse them once.

    They are the settings as stored, so they are read as stored documents are.
    """
    if settings_json:
        return ClientSettings.model_validate_json(settings_json, context=STORED)
    return ClientSettings(client_id=client_id)
