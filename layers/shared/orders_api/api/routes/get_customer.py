"""GET /v1/customers/{customer_id}: the customer item as shown, without the models.

The function runs without Powertools' validation (a path parameter is any string); the operation
as the OpenAPI document declares it is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.resolver import caller_id, json_response, path_value
from orders_api.app.reads import Reads

router = APIGatewayRouter()
reads = Reads()


@router.get(endpoints.GET_CUSTOMER.rule)
def get_customer(customer_id: str) -> Response[str]:
    return json_response(200, {"data": reads.customer(caller_id(router), path_value(customer_id))})
