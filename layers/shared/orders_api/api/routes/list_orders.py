"""GET /v1/orders: filters and cursor pagination, each page read with Query calls only.

The function runs without Powertools' validation and pydantic: it reads its query parameters
itself (orders_api.api.parameters), with the same 422s; the operation as the OpenAPI document
declares it is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.parameters import NOT_DATETIME, NOT_STRING, QueryParameters
from orders_api.api.resolver import caller_id, json_text_response, public_base_url
from orders_api.app.listing import Pages
from orders_api.domain import listing
from orders_api.domain.listing import ListQuery
from orders_api.domain.public import page_json
from orders_api.domain.status import STATUSES
from orders_api.domain.text import IDENTIFIER_MAX_LENGTH, IDENTIFIER_MIN_LENGTH

router = APIGatewayRouter()
pages = Pages()


def _link(parameters: dict[str, str]) -> str:
    """Absolute behind API Gateway (with its stage or base path); else a path from the API root."""
    event = router.current_event
    return (
        (public_base_url(event.raw_event) or "") + event.path + "?" + urlencode(parameters, quote_via=quote)
    )


@router.get(endpoints.LIST_ORDERS.rule)
def list_orders() -> Response[str]:
    parameters = QueryParameters(router.current_event.raw_event)
    # In the order the operation declares them, which is the order their problems are listed in.
    query = ListQuery(
        limit=parameters.integer("limit", listing.DEFAULT_LIMIT, ge=1, le=listing.MAX_LIMIT),
        customer_id=parameters.text(
            "customer_id", min_length=IDENTIFIER_MIN_LENGTH, max_length=IDENTIFIER_MAX_LENGTH
        ),
        customer_email=parameters.email("customer_email"),
        created_after=parameters.parsed("created_after", listing.created_bound, NOT_DATETIME),
        created_before=parameters.parsed("created_before", listing.created_bound, NOT_DATETIME),
        status=parameters.choice("status", STATUSES),
        include_deleted=parameters.boolean("include_deleted", False),
        sort=parameters.choice("sort", listing.SORT_ORDERS) or "-created_at",
    )
    after = parameters.parsed("after", str, NOT_STRING)
    parameters.check()
    page = pages.page(caller_id(router), query, after)
    next_link = _link(listing.next_parameters(query, page.cursor)) if page.cursor is not None else None
    return json_text_response(200, page_json(page.data, next_link, page.cursor))
