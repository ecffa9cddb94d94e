"""GET /v1/orders: filters and cursor pagination, each page read with Query calls only."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api.openapi import SECURITY, responses, success
from orders_api.api.protocol import dumps
from orders_api.api.resolver import caller_settings, json_response
from orders_api.api.routes import orders
from orders_api.domain import listing
from orders_api.domain.listing import CreatedBound, ListQuery, Position, QueryPlan, SortOrder
from orders_api.domain.models import OrderPage, Status
from orders_api.domain.scalars import Email, Identifier

# API Gateway and Lambda cap a response at 6 MB; the contract promises pages under 5 MB.
MAX_PAGE_BYTES = 5 * 1024 * 1024
# Room for the envelope and links.next, whose filters and cursor take a few KB at most.
ENVELOPE_BYTES = 16 * 1024
# Well inside the function timeout: a sparse filter ends the page early rather than failing it.
TIME_BUDGET_SECONDS = 4.0

router = APIGatewayRouter()


@dataclass
class Page:
    data: list[dict[str, Any]] = field(default_factory=list)
    next: Position | None = None


def _read_size(wanted: int, scanned: int, matched: int) -> int:
    """Enough items to fill the page, scaled by the share the filter has kept so far."""
    if scanned == 0:
        return min(wanted, listing.MAX_LIMIT + 1)
    return min(math.ceil(wanted * scanned / max(matched, 1)), listing.MAX_LIMIT + 1)


def read_page(
    fetch: listing.Fetch,
    plan: QueryPlan,
    start: Position | None,
    limit: int,
    clock: Callable[[], float] = time.monotonic,
) -> Page:
    """Queries until the page holds `limit` orders, would pass 5 MB, or the time budget is spent.

    One order more than the page needs is read, so the last page knows it is the last.
    page.next is the last order kept, or where DynamoDB stopped when the filter dropped
    everything after it; None only when nothing in range is left.
    """
    page = Page()
    if plan.is_empty:
        return page
    deadline = clock() + TIME_BUDGET_SECONDS
    budget = MAX_PAGE_BYTES - ENVELOPE_BYTES
    size = scanned = matched = 0
    position = start
    while True:
        batch = fetch(plan, position, _read_size(limit - len(page.data) + 1, scanned, matched))
        scanned += batch.scanned
        matched += len(batch.orders)
        for at, order in batch.orders:
            if len(page.data) == limit:
                return page
            shown = order.public()
            cost = len(dumps(shown).encode()) + 1
            if page.data and size + cost > budget:
                return page
            page.data.append(shown)
            page.next = at
            size += cost
        if batch.last is None:
            page.next = None
            return page
        position = batch.last
        if clock() >= deadline:
            page.next = position
            return page


def _link(parameters: dict[str, str]) -> str:
    """Absolute behind API Gateway (its request path keeps the stage prefix); else a path from the API root."""
    event = router.current_event
    context = event.raw_event.get("requestContext") or {}
    query = "?" + urlencode(parameters, quote_via=quote)
    domain = context.get("domainName")
    if not domain:
        return event.path + query
    scheme = event.headers.get("X-Forwarded-Proto") or "https"
    return f"{scheme}://{domain}{context.get('path') or event.path}{query}"


@router.get(
    "/v1/orders",
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
    plan = listing.plan(client_id, query)
    start = listing.decode_cursor(client_id, plan, after) if after is not None else None
    page = read_page(orders.repository.query_orders, plan, start, limit)
    next_link = None
    if page.next is not None:
        cursor = listing.encode_cursor(client_id, plan, page.next)
        next_link = _link(listing.next_parameters(query, cursor))
    return json_response(200, {"data": page.data, "links": {"next": next_link}})
