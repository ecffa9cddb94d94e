"""DELETE /v1/templates/{kind}/{locale}."""

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


@router.delete(
    endpoints.DELETE_TEMPLATE.rule,
    summary="Go back to the built-in template",
    description="Deletes the shop's template for this kind and locale and answers the template that now "
    "applies. Deleting again changes nothing.",
    responses=responses({200: success(TemplateEnvelope)}, 422),
    security=SECURITY,
    tags=["templates"],
)
def delete_template(kind: TemplateKindPath, locale: LocalePath) -> Response[str]:
    settings = caller_settings(router)
    templates.delete(settings.client_id, kind, locale)
    return json_response(200, {"data": templates.get(settings, kind, locale).shown()})
