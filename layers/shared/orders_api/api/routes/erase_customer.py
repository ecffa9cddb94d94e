"""POST /v1/customers/{customer_id}/erase and POST /v1/erasures: erasure (GDPR art. 17)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, CustomerId, responses, success
from orders_api.api.resolver import path_value
from orders_api.api.wire import caller_settings, model_response
from orders_api.app.privacy import Erasure, RemainingMs
from orders_api.domain.customer_models import (
    CustomerErasure,
    CustomerErasureEnvelope,
    ErasureRequest,
    Erasures,
    ErasuresEnvelope,
)

router = APIGatewayRouter()
erasure = Erasure()

DONE = "The work is done when the answer comes: 200 with how many orders this request erased (0 when done "
"before, so a retry after a failure finishes the rest). The orders keep their items, status and history; "
"invitations, reminders and status emails still pending end with reason erased. Should the time limit come "
"before every order is done (thousands of orders on a slow day), the answer is a 503 with Retry-After that "
"says how many were erased: send the same request again to erase the rest."


@router.post(
    endpoints.ERASE_CUSTOMER.rule,
    summary="Erase a customer's personal data",
    description="Removes the email, name and phone from the customer and every order of the customer, "
    "which show customer.erased: true and no longer match customer_email. " + DONE,
    responses=responses({200: success(CustomerErasureEnvelope)}, 404, 422, 503, idempotent=True),
    security=SECURITY,
    tags=["customers"],
)
def erase_customer(customer_id: CustomerId) -> Response[str]:
    known = path_value(customer_id)
    orders = erasure.customer(caller_settings(router), known, _remaining_ms())
    return model_response(
        200, CustomerErasureEnvelope(data=CustomerErasure(customer_id=known, orders=orders))
    )


@router.post(
    endpoints.ERASE_BY_EMAIL.rule,
    summary="Erase every customer with one of these addresses",
    description="Up to 100 addresses, matched case-insensitively; each customer found is erased as by "
    "POST /v1/customers/{customer_id}/erase. " + DONE,
    responses=responses({200: success(ErasuresEnvelope)}, 400, 409, 413, 415, 422, 503, idempotent=True),
    security=SECURITY,
    tags=["customers"],
)
def erase_by_email(body: ErasureRequest) -> Response[str]:
    customers, orders = erasure.emails(caller_settings(router), list(body.emails), _remaining_ms())
    return model_response(200, ErasuresEnvelope(data=Erasures(customers=customers, orders=orders)))


def _remaining_ms() -> RemainingMs:
    """The Lambda's time left: its timeout is API Gateway's 29 s, so this is the caller's wait too."""
    return router.lambda_context.get_remaining_time_in_millis
