"""GET /v1/templates/{kind}/{locale}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, responses, success
from orders_api.api.resolver import json_response
from orders_api.api.template_parameters import LocalePath, TemplateKindPath
from orders_api.api.wire import caller_settings
from orders_api.app.templates import Templates
from orders_api.domain.email_models import TemplateEnvelope

router = APIGatewayRouter()
templates = Templates()


@router.get(
    endpoints.GET_TEMPLATE.rule,
    summary="Get the template an order in this locale gets",
    description="The shop's own template for the locale (or its language, or the default_locale), else the "
    "built-in one with built_in: true. locale in the answer is the one that matched.",
    responses=responses({200: success(TemplateEnvelope)}, 422),
    security=SECURITY,
    tags=["templates"],
)
def get_template(kind: TemplateKindPath, locale: LocalePath) -> Response[str]:
    view = templates.get(caller_settings(router), kind, locale)
    return json_response(200, {"data": view.shown()})
