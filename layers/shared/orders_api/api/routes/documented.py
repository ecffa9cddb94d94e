"""The routes whose functions run without pydantic (get_order, list_orders, get_customer,
put_template, preview_email) as the OpenAPI document declares them.

Their functions read their parameters and bodies themselves and answer from stored documents or
plain records, never loading pydantic or the models, which these declarations need: the
parameters' types and the models of the bodies and answers. So they are made here, where only the
document's generator loads them, each operation handing on to its route.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import WithJsonSchema

from orders_api.api import endpoints
from orders_api.api.openapi import ETAG, SECURITY, CustomerId, OrderId, responses, success
from orders_api.api.routes import get_customer, get_order, list_orders, preview_email, put_template
from orders_api.api.template_parameters import LocalePath, TemplateKindPath
from orders_api.domain import listing
from orders_api.domain.customer_models import CustomerEnvelope
from orders_api.domain.email_models import (
    VARIABLES,
    EmailPreviewEnvelope,
    PreviewKind,
    TemplateEnvelope,
    TemplateIn,
)
from orders_api.domain.listing import SortOrder
from orders_api.domain.models import OrderEnvelope
from orders_api.domain.page_models import OrderPage
from orders_api.domain.scalars import Email, Identifier
from orders_api.domain.status import Status

# How list_orders' creation bounds are documented; orders_api.domain.listing.created_bound reads them.
CreatedBound = Annotated[
    datetime, WithJsonSchema({"type": "string", "examples": ["2021-10-01", "2021-10-01T13:00:00Z"]})
]

# Each operation hands on to its route as the route's own function would be called; only the document's
# generator and the tests that hold the functions to these declarations route requests to them.
ROUTERS = {
    name: APIGatewayRouter()
    for name in ("get_order", "list_orders", "get_customer", "put_template", "preview_email")
}


@ROUTERS["get_order"].get(
    endpoints.GET_ORDER.rule,
    operation_id="getOrder",
    summary="Get one order",
    description="A deleted order is still returned, with deleted: true. The id is URL-encoded in the path.",
    responses=responses({200: success(OrderEnvelope, ETAG)}, 404),
    security=SECURITY,
    tags=["orders"],
)
def get_order_operation(order_id: OrderId) -> Response[str]:
    return get_order.get_order(order_id)


@ROUTERS["list_orders"].get(
    endpoints.LIST_ORDERS.rule,
    operation_id="listOrders",
    summary="List orders",
    description="Newest first by default; ties in created_at are ordered by id. Follow links.next until it "
    "is null to get every matching order exactly once, also while orders are being written. The cursor in "
    "`after` is bound to the API key's client and to the filters: changing a filter with a cursor is a 400. "
    "With both customer_id and customer_email, an order must match both. created_after and created_before "
    "are exclusive; a bare date means its midnight UTC, a date-time must carry its zone. A page ends early "
    "rather than exceed 5 MB, with links.next carrying on.",
    responses=responses({200: success(OrderPage)}, 400, 422),
    security=SECURITY,
    tags=["orders"],
)
def list_orders_operation(
    *,
    limit: Annotated[int, Query(ge=1, le=listing.MAX_LIMIT, description="Orders per page")] = (
        listing.DEFAULT_LIMIT
    ),
    customer_id: Annotated[Identifier | None, Query(description="Only this customer's orders")] = None,
    customer_email: Annotated[Email | None, Query(description="Case-insensitive customer email")] = None,
    created_after: Annotated[CreatedBound | None, Query(description="Exclusive lower bound")] = None,
    created_before: Annotated[CreatedBound | None, Query(description="Exclusive upper bound")] = None,
    status: Annotated[Status | None, Query(description="Only orders in this status")] = None,
    include_deleted: Annotated[bool, Query(description="Also soft-deleted orders")] = False,
    sort: Annotated[SortOrder, Query(description="-created_at (newest first) or created_at")] = "-created_at",
    after: Annotated[str | None, Query(description="The cursor from links.next")] = None,
) -> Response[str]:
    return list_orders.list_orders()


@ROUTERS["get_customer"].get(
    endpoints.GET_CUSTOMER.rule,
    operation_id="getCustomer",
    summary="Get one customer",
    description="The customer as last sent with an order, and whether they opted out of review emails.",
    responses=responses({200: success(CustomerEnvelope)}, 404),
    security=SECURITY,
    tags=["customers"],
)
def get_customer_operation(customer_id: CustomerId) -> Response[str]:
    return get_customer.get_customer(customer_id)


@ROUTERS["put_template"].put(
    endpoints.PUT_TEMPLATE.rule,
    operation_id="put_template_v1_templates__kind___locale__put",
    summary="Write the shop's own template for a kind and locale",
    description=VARIABLES + "\n\nAccepts Idempotency-Key.",
    responses=responses({200: success(TemplateEnvelope)}, 400, 413, 415, 422, idempotent=True),
    security=SECURITY,
    tags=["templates"],
)
def put_template_operation(kind: TemplateKindPath, locale: LocalePath, body: TemplateIn) -> Response[str]:
    return put_template.put_template(kind, locale)


@ROUTERS["preview_email"].get(
    endpoints.PREVIEW_EMAIL.rule,
    operation_id="preview_email_v1_orders__order_id__emails_preview_get",
    summary="Preview an order's email",
    description="The email that would go out now for this order, composed by the mailer's own code with "
    "today's templates and settings; nothing is sent or recorded. A status preview shows the latest "
    "queued status email, else the order's current status. An order without an email address is a 409.",
    responses=responses({200: success(EmailPreviewEnvelope)}, 404, 409, 422),
    security=SECURITY,
    tags=["orders"],
)
def preview_email_operation(
    order_id: OrderId,
    kind: Annotated[PreviewKind, Query(description="invitation, reminder or status")] = "invitation",
) -> Response[str]:
    return preview_email.preview_email(order_id)
