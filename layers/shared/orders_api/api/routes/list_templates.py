"""GET /v1/templates."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, responses, success
from orders_api.api.resolver import caller_id, json_response
from orders_api.app.templates import Templates
from orders_api.domain.email_models import TemplateList

router = APIGatewayRouter()
templates = Templates()


@router.get(
    endpoints.LIST_TEMPLATES.rule,
    summary="List the shop's own email templates",
    description="Every template the client wrote, by kind and locale; built-in ones are not listed.",
    responses=responses({200: success(TemplateList)}),
    security=SECURITY,
    tags=["templates"],
)
def list_templates() -> Response[str]:
    own = templates.own(caller_id(router))
    return json_response(200, {"data": [view.shown() for view in own]})
