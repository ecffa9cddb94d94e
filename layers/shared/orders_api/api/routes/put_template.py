"""PUT /v1/templates/{kind}/{locale}.

The function runs without Powertools' validation and pydantic: it reads its path and body itself
(orders_api.api.template_requests), with the same 400 and 422s; the operation as the OpenAPI
document declares it is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.email_settings import caller_email_settings
from orders_api.api.resolver import json_response
from orders_api.api.template_requests import template_write
from orders_api.app.template_writes import TemplateWrites

router = APIGatewayRouter()
templates = TemplateWrites()


@router.put(endpoints.PUT_TEMPLATE.rule)
def put_template(kind: str, locale: str) -> Response[str]:
    write = template_write(kind, locale, router.current_event.body)
    view = templates.put(caller_email_settings(router), write.kind, write.locale, write.template)
    return json_response(200, {"data": view.shown()})
