"""GET /v1/orders/{order_id}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import ETAG, SECURITY, OrderId, responses, success
from orders_api.api.resolver import path_value
from orders_api.api.wire import caller_settings, order_response
from orders_api.app.orders import Orders
from orders_api.domain.models import OrderEnvelope

router = APIGatewayRouter()
orders = Orders()


@router.get(
    endpoints.GET_ORDER.rule,
    operation_id="getOrder",
    summary="Get one order",
    description="A deleted order is still returned, with deleted: true. The id is URL-encoded in the path.",
    responses=responses({200: success(OrderEnvelope, ETAG)}, 404),
    security=SECURITY,
    tags=["orders"],
)
def get_order(order_id: OrderId) -> Response[str]:
    return order_response(orders.get(caller_settings(router), path_value(order_id)))
