"""GET /v1/orders: filters and cursor pagination, each page read with Query calls only."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, responses, success
from orders_api.api.resolver import json_response, public_base_url
from orders_api.api.wire import caller_settings
from orders_api.app.orders import Orders
from orders_api.domain import listing
from orders_api.domain.listing import CreatedBound, ListQuery, SortOrder
from orders_api.domain.models import OrderPage
from orders_api.domain.scalars import Email, Identifier
from orders_api.domain.status import Status

router = APIGatewayRouter()
orders = Orders()


def _link(parameters: dict[str, str]) -> str:
    """Absolute behind API Gateway (with its stage or base path); else a path from the API root."""
    event = router.current_event
    return (
        (public_base_url(event.raw_event) or "") + event.path + "?" + urlencode(parameters, quote_via=quote)
    )


@router.get(
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
def list_orders(
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
    client_id = caller_settings(router).client_id
    query = ListQuery(
        limit=limit,
        customer_id=customer_id,
        customer_email=customer_email,
        created_after=created_after,
        created_before=created_before,
        status=status,
        include_deleted=include_deleted,
        sort=sort,
    )
    page = orders.list(client_id, query, after)
    next_link = _link(listing.next_parameters(query, page.cursor)) if page.cursor is not None else None
    return json_response(200, {"data": page.data, "links": {"next": next_link}, "next_cursor": page.cursor})
