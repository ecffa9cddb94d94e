"""GET (and one-click POST) /v1/unsubscribe: the link in every review invitation. No API key."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.api.openapi import responses, success
from orders_api.api.protocol import HTML
from orders_api.api.resolver import Handler
from orders_api.api.routes import orders
from orders_api.app import customers as unsubscribe
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.emails import shop_name, templates
from orders_api.domain.errors import BadRequest

router = APIGatewayRouter()
_PAGE = success(
    {"type": "string"},
    media_type="text/html",
    description="The customer is unsubscribed; a small confirmation page",
)


def _unsubscribe(token: str | None) -> Response[str]:
    named = unsubscribe.customer_of(token)
    if named is None:
        raise BadRequest("The unsubscribe link is incomplete or not genuine.")
    client_id, customer_id = named
    unsubscribe.set_opt_out(orders.repository, client_id, customer_id, True, orders.clock())
    settings = ClientSettings.stored(client_id, orders.repository.get_client_settings(client_id))
    page = templates.get_template("unsubscribed.html").render(shop=shop_name(settings))
    return Response(200, HTML, page, headers={"Cache-Control": "no-store"})


@router.get(
    "/v1/unsubscribe",
    summary="Unsubscribe from review emails",
    description="The link in every invitation: opts the customer out of invitations and reminders and "
    "answers a small HTML page. Needs no API key; a missing or forged token is a 400.",
    responses=responses({200: _PAGE}, 400, 422, secured=False),
    tags=["customers"],
)
def unsubscribe_link(token: Annotated[str | None, Query()] = None) -> Response[str]:
    return _unsubscribe(token)


@router.post(
    "/v1/unsubscribe",
    summary="One-click unsubscribe (RFC 8058)",
    description="What mail providers send for the List-Unsubscribe-Post header; same effect as the link.",
    responses=responses({200: _PAGE}, 400, 413, 422, secured=False),
    tags=["customers"],
)
def unsubscribe_one_click(token: Annotated[str | None, Query()] = None) -> Response[str]:
    return _unsubscribe(token)


def one_click(handler: Handler) -> Handler:
    """RFC 8058 providers POST a form body that says nothing the token does not; drop it unread."""

    def accept(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if event.get("httpMethod") == "POST":
            event = {**event, "body": None, "isBase64Encoded": False}
        return handler(event, context)

    return accept
