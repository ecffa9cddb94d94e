"""PUT /v1/templates/{kind}/{locale}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, responses, success
from orders_api.api.template_parameters import LocalePath, TemplateKindPath
from orders_api.api.wire import caller_settings, model_response
from orders_api.app.template_writes import TemplateWrites
from orders_api.domain.email_models import VARIABLES, TemplateEnvelope, TemplateIn, TemplateSet

router = APIGatewayRouter()
templates = TemplateWrites()


@router.put(
    endpoints.PUT_TEMPLATE.rule,
    summary="Write the shop's own template for a kind and locale",
    description=VARIABLES + "\n\nAccepts Idempotency-Key.",
    responses=responses({200: success(TemplateEnvelope)}, 400, 413, 415, 422, idempotent=True),
    security=SECURITY,
    tags=["templates"],
)
def put_template(kind: TemplateKindPath, locale: LocalePath, body: TemplateIn) -> Response[str]:
    template = TemplateSet(body.subject, body.text, body.html)
    view = templates.put(caller_settings(router), kind, locale, template)
    return model_response(200, TemplateEnvelope(data=view.out()))
