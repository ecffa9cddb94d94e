"""POST /v1/orders and POST /v1/orders/batch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import ETAG, LOCATION, SECURITY, responses, success
from orders_api.api.problems import ApiError, from_domain
from orders_api.api.resolver import if_match, json_response
from orders_api.api.wire import caller_settings, order_response
from orders_api.app.orders import BatchOutcome, Orders
from orders_api.domain.field_errors import FieldError
from orders_api.domain.models import (
    BatchEnvelope,
    BatchRequest,
    BatchResult,
    OrderEnvelope,
    UpsertOrderRequest,
    WriteMode,
)

router = APIGatewayRouter()
orders = Orders()


@router.post(
    endpoints.CREATE_ORDER.rule,
    operation_id="createOrder",
    summary="Create or update one order",
    description="mode=merge (default) creates or merges; create refuses an existing order (409); replace "
    "replaces everything but id, created_at, status and status_history. Accepts If-Match and Idempotency-Key.",
    responses=responses(
        {
            200: success(OrderEnvelope, ETAG),
            201: success(OrderEnvelope, ETAG, LOCATION, description="Created"),
        },
        400,
        409,
        412,
        413,
        415,
        422,
        idempotent=True,
    ),
    security=SECURITY,
    tags=["orders"],
)
def create_order(body: UpsertOrderRequest, mode: Annotated[WriteMode, Query()] = "merge") -> Response[str]:
    settings = caller_settings(router)
    outcome = orders.upsert(settings, body.order, mode, if_match(router))
    if outcome.created:
        location = f"/v1/orders/{quote(outcome.order.id, safe='')}"
        return order_response(outcome.order, 201, {"Location": location})
    return order_response(outcome.order, 200)


@router.post(
    endpoints.CREATE_ORDERS.rule,
    operation_id="createOrders",
    summary="Create or update up to 100 orders",
    description="Each order is applied on its own; the results come back in request order.",
    responses=responses({200: success(BatchEnvelope)}, 400, 409, 413, 415, 422, idempotent=True),
    security=SECURITY,
    tags=["orders"],
)
def create_orders(body: BatchRequest) -> Response[str]:
    results = orders.upsert_many(caller_settings(router), body.mode, body.orders)
    return json_response(200, {"data": [batch_result(result).public() for result in results]})


def batch_result(result: BatchOutcome) -> BatchResult:
    """One order's answer in the batch: its status as if it had been posted alone."""
    if result.outcome is not None:
        status = 201 if result.outcome.created else 200
        return BatchResult(
            index=result.index, id=result.outcome.order.id, status=status, order=result.outcome.order
        )
    problem = from_domain(result.error) if result.error is not None else ApiError()
    errors = problem.errors or [FieldError(field="order", message=problem.detail or problem.title)]
    return BatchResult(index=result.index, id=result.id, status=problem.status, errors=errors)
