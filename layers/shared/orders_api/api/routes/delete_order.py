"""DELETE /v1/orders/{order_id}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import ETAG, SECURITY, OrderId, responses, success
from orders_api.api.resolver import if_match, path_value
from orders_api.api.wire import caller_settings, order_response
from orders_api.app.orders import Orders
from orders_api.domain.models import OrderEnvelope

router = APIGatewayRouter()
orders = Orders()


@router.delete(
    endpoints.DELETE_ORDER.rule,
    operation_id="deleteOrder",
    summary="Soft-delete an order",
    description="Sets deleted and deleted_at, cancels unsent emails and keeps the data. Deleting again "
    "changes nothing. Accepts If-Match.",
    responses=responses({200: success(OrderEnvelope, ETAG)}, 404, 412),
    security=SECURITY,
    tags=["orders"],
)
def delete_order(order_id: OrderId) -> Response[str]:
    order = orders.delete(caller_settings(router), path_value(order_id), if_match(router))
    return order_response(order)
