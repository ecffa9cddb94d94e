"""Reading a page of orders: filling it from one or more Queries, and the cursor that carries on.

A page holds `limit` orders unless it would pass 5 MB or the time budget runs out first;
the cursor names where the next page starts, signed and bound to the client and filters.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from orders_api.adapters import signing
from orders_api.app.stores import UsesStores
from orders_api.domain import listing
from orders_api.domain.errors import Unreadable
from orders_api.domain.field_errors import FieldError
from orders_api.domain.listing import ListPlan, ListQuery, Position
from orders_api.store.pages import is_position_of

CURSOR_PURPOSE = "cursor"
# 2: the fingerprint hashes the logical plan; cursors of version 1 are refused as older ones.
CURSOR_VERSION = 2
# API Gateway and Lambda cap a response at 6 MB; the contract promises pages under 5 MB.
MAX_PAGE_BYTES = 5 * 1024 * 1024
# Room for the envelope and links.next, whose filters and cursor take a few KB at most.
ENVELOPE_BYTES = 16 * 1024
# Well inside the function timeout: a sparse filter ends the page early rather than failing it.
TIME_BUDGET_SECONDS = 4.0


@dataclass
class FilledPage:
    """The orders as the API shows them, each JSON text, and where the next page starts."""

    data: list[str] = field(default_factory=list)
    next: Position | None = None


def _read_size(wanted: int, scanned: int, matched: int) -> int:
    """Enough items to fill the page, scaled by the share the filter has kept so far."""
    if scanned == 0:
        return min(wanted, listing.MAX_LIMIT + 1)
    return min(math.ceil(wanted * scanned / max(matched, 1)), listing.MAX_LIMIT + 1)


def read_page(
    fetch: listing.Fetch,
    plan: ListPlan,
    start: Position | None,
    limit: int,
    clock: Callable[[], float] = time.monotonic,
) -> FilledPage:
    """Queries until the page holds `limit` orders, would pass 5 MB, or the time budget is spent.

    One order more than the page needs is read, so the last page knows it is the last.
    page.next is the last order kept, or where DynamoDB stopped when the filter dropped
    everything after it; None only when nothing in range is left.
    """
    page = FilledPage()
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
        for at, shown in batch.orders:
            if len(page.data) == limit:
                return page
            cost = len(shown.encode()) + 1
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


def encode_cursor(plan: ListPlan, position: Position) -> str:
    payload = {"v": CURSOR_VERSION, "f": listing.fingerprint(plan), "k": position.sort_key, "p": position.pk}
    return signing.sign(CURSOR_PURPOSE, payload)


def _bad_cursor(message: str) -> Unreadable:
    return Unreadable(
        f"The cursor in `after` {message}. Follow links.next as given, or start again without `after`.",
        errors=[FieldError(field="after", message=message)],
    )


def decode_cursor(plan: ListPlan, token: str, belongs: Callable[[ListPlan, Position], bool]) -> Position:
    """The position a cursor names; anything forged, foreign or for other filters is refused.

    `belongs` is the store's check that the position is one of the plan's client's orders in range.
    """
    payload = signing.verify(CURSOR_PURPOSE, token)
    if payload is None:
        raise _bad_cursor("is not a cursor this API issued")
    if payload.get("v") != CURSOR_VERSION:
        raise _bad_cursor("is from an older version of the API")
    if payload.get("f") != listing.fingerprint(plan):
        raise _bad_cursor("belongs to other filters or another client")
    sort_key, pk = payload.get("k"), payload.get("p")
    if not isinstance(sort_key, str) or not isinstance(pk, str):
        raise _bad_cursor("is not a cursor this API issued")
    position = Position(sort_key=sort_key, pk=pk)
    if not belongs(plan, position):
        raise _bad_cursor("is not a cursor this API issued")
    return position


@dataclass
class Page:
    """Orders as the API shows them (each JSON text), and the cursor of the next page (None on the last)."""

    data: list[str]
    cursor: str | None


class Pages(UsesStores):
    def page(self, client_id: str, query: ListQuery, after: str | None) -> Page:
        """A page of the client's orders, with the cursor of the next page (None on the last)."""
        plan = listing.plan(client_id, query)
        start = decode_cursor(plan, after, is_position_of) if after is not None else None
        page = read_page(self.order_pages.query_orders, plan, start, query.limit)
        cursor = encode_cursor(plan, page.next) if page.next is not None else None
        return Page(data=page.data, cursor=cursor)
