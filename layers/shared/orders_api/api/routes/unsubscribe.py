"""GET (and one-click POST) /v1/unsubscribe: the link in every review invitation. No API key."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.api import endpoints
from orders_api.api.openapi import responses, success
from orders_api.api.protocol import HTML
from orders_api.api.resolver import Handler
from orders_api.app.customers import Customers
from orders_api.domain import unsubscribed_page
from orders_api.domain.email_settings import shop_name

router = APIGatewayRouter()
customers = Customers()
_PAGE = success(
    {"type": "string"},
    media_type="text/html",
    description="The customer is unsubscribed; a small confirmation page",
)


def _unsubscribe(token: str | None) -> Response[str]:
    settings, locale = customers.unsubscribe(token)
    page = unsubscribed_page.render(locale, shop_name(settings))
    return Response(200, HTML, page, headers={"Cache-Control": "no-store", "Content-Language": locale})


@router.get(
    endpoints.UNSUBSCRIBE.rule,
    operation_id="unsubscribe",
    summary="Unsubscribe from review emails",
    description="The link in every invitation: opts the customer out of invitations and reminders and "
    "answers a small HTML page. Needs no API key; a missing or forged token is a 400.",
    responses=responses({200: _PAGE}, 400, 422, secured=False),
    tags=["customers"],
)
def unsubscribe_link(token: Annotated[str | None, Query()] = None) -> Response[str]:
    return _unsubscribe(token)


@router.post(
    endpoints.UNSUBSCRIBE_ONE_CLICK.rule,
    operation_id="unsubscribeOneClick",
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
