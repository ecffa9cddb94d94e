"""PATCH /v1/customers/{customer_id}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, CustomerId, responses, success
from orders_api.api.resolver import caller_id, path_value
from orders_api.api.wire import model_response
from orders_api.app.customers import Customers
from orders_api.domain.customer_models import CustomerEnvelope, CustomerPatch

router = APIGatewayRouter()
customers = Customers()


@router.patch(
    endpoints.UPDATE_CUSTOMER.rule,
    operation_id="updateCustomer",
    summary="Set a customer's opt-out, or lift the suppression of their address",
    description="opt_out syncs an unsubscribe the shop received elsewhere. An unknown customer is created, "
    "so the choice holds for orders still to come; every order of the customer gets the new opt_out. Review "
    "invitations and reminders stop for an opted-out customer; status emails do not. suppressed: null lifts "
    "a bounce or complaint suppression of the customer's address (the shop confirmed the address works); "
    "on an unknown customer it is a 404.",
    responses=responses({200: success(CustomerEnvelope)}, 400, 404, 413, 415, 422),
    security=SECURITY,
    tags=["customers"],
)
def update_customer(customer_id: CustomerId, patch: CustomerPatch) -> Response[str]:
    customer = customers.update(caller_id(router), path_value(customer_id), patch)
    return model_response(200, CustomerEnvelope(data=customer))
