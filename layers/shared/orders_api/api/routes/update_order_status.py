"""PUT /v1/orders/{order_id}/status."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import ETAG, SECURITY, OrderId, responses, success
from orders_api.api.resolver import if_match, path_value
from orders_api.api.wire import caller_settings, order_response
from orders_api.app.orders import Orders
from orders_api.domain.models import OrderEnvelope, StatusUpdateRequest

router = APIGatewayRouter()
orders = Orders()


@router.put(
    endpoints.UPDATE_ORDER_STATUS.rule,
    operation_id="updateOrderStatus",
    summary="Move an order to a new status",
    description="Appends to status_history. The same status again changes nothing; a move the lifecycle "
    "does not allow is a 409 listing the allowed moves. delivered dates undated items; canceled and "
    "returned cancel unsent emails; notify_customer queues a status email. Accepts If-Match and "
    "Idempotency-Key.",
    responses=responses(
        {200: success(OrderEnvelope, ETAG)}, 400, 404, 409, 412, 413, 415, 422, idempotent=True
    ),
    security=SECURITY,
    tags=["orders"],
)
def update_order_status(order_id: OrderId, body: StatusUpdateRequest) -> Response[str]:
    order = orders.change_status(caller_settings(router), path_value(order_id), body, if_match(router))
    return order_response(order)
