"""GET /v1/orders/{order_id}/emails/preview.

The function runs without Powertools' validation and pydantic: it reads its query parameter itself
(orders_api.api.parameters), with the same 422; the operation as the OpenAPI document declares it
is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.email_settings import caller_email_settings
from orders_api.api.parameters import QueryParameters
from orders_api.api.resolver import json_response, path_value
from orders_api.app.previews import Previews
from orders_api.domain.template_sets import TEMPLATE_KINDS

router = APIGatewayRouter()
previews = Previews()


@router.get(endpoints.PREVIEW_EMAIL.rule)
def preview_email(order_id: str) -> Response[str]:
    parameters = QueryParameters(router.current_event.raw_event)
    kind = parameters.choice("kind", TEMPLATE_KINDS) or "invitation"
    parameters.check()
    message = previews.preview(caller_email_settings(router), path_value(order_id), kind)
    return json_response(200, {"data": message.shown()})
