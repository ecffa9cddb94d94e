"""GET /v1/customers/{customer_id}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, CustomerId, responses, success
from orders_api.api.resolver import path_value
from orders_api.api.wire import caller_settings, model_response
from orders_api.app.customers import Customers
from orders_api.domain.models import CustomerEnvelope

router = APIGatewayRouter()
customers = Customers()


@router.get(
    endpoints.GET_CUSTOMER.rule,
    operation_id="getCustomer",
    summary="Get one customer",
    description="The customer as last sent with an order, and whether they opted out of review emails.",
    responses=responses({200: success(CustomerEnvelope)}, 404),
    security=SECURITY,
    tags=["customers"],
)
def get_customer(customer_id: CustomerId) -> Response[str]:
    customer = customers.get(caller_settings(router).client_id, path_value(customer_id))
    return model_response(200, CustomerEnvelope(data=customer))
