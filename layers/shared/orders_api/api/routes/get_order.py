"""GET /v1/orders/{order_id}: the stored document as shown, without the models.

The function runs without Powertools' validation (a path parameter is any string); the operation
as the OpenAPI document declares it is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.resolver import caller_id, json_text_response, path_value
from orders_api.app.reads import Reads
from orders_api.domain.public import envelope_json

router = APIGatewayRouter()
reads = Reads()


@router.get(endpoints.GET_ORDER.rule)
def get_order(order_id: str) -> Response[str]:
    shown = reads.order(caller_id(router), path_value(order_id))
    return json_text_response(200, envelope_json(shown.json), {"ETag": f'"{shown.version}"'})
