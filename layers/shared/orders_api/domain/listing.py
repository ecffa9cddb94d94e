"""Listing orders: the filters, which index serves them, and what one read of it returns.

Each filter set maps to one logical plan: an index, the value it is keyed on and the
creation-time bounds; the store turns the plan into keys. Only status, deleted orders and
an email next to a customer id are left to filter.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, Protocol, get_args

from orders_api.domain.instants import format_instant
from orders_api.domain.status import Status

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

Index = Literal["by_created", "by_customer", "by_email"]
SortOrder = Literal["-created_at", "created_at"]
SORT_ORDERS: tuple[SortOrder, ...] = get_args(SortOrder)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOUND_FORMAT = "must be YYYY-MM-DD or an ISO-8601 date-time with zone, such as 2021-10-01T13:00:00Z"


def created_bound(value: str) -> datetime:
    """A bare date is its midnight UTC; a date-time without zone is refused, as its instant is unknown."""
    try:
        if _DATE.match(value):
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(_BOUND_FORMAT) from error
    if instant.tzinfo is None:
        raise ValueError("must name its time zone, such as 2021-10-01T13:00:00Z or 2021-10-01T15:00:00+02:00")
    try:
        return instant.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error


@dataclass(frozen=True)
class ListQuery:
    """A list request's filters, order and page size, checked."""

    limit: int = DEFAULT_LIMIT
    customer_id: str | None = None
    customer_email: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    status: Status | None = None
    include_deleted: bool = False
    sort: SortOrder = "-created_at"


@dataclass(frozen=True)
class Position:
    """Where reading stopped, as the store names it; opaque to everything above the store."""

    sort_key: str
    pk: str


@dataclass(frozen=True)
class ListPlan:
    """One read of one index: the value it is keyed on, exclusive creation bounds, what is left to filter."""

    client_id: str
    index: Index
    key: str | None
    created_after: datetime | None
    created_before: datetime | None
    ascending: bool
    status: Status | None
    also_email: str | None
    include_deleted: bool

    @property
    def is_empty(self) -> bool:
        after, before = self.created_after, self.created_before
        return after is not None and before is not None and after >= before


@dataclass
class QueryBatch:
    """What one Query returned, each order as the API shows it (JSON text); last is where DynamoDB
    stopped reading, None at the end."""

    orders: list[tuple[Position, str]]
    last: Position | None
    scanned: int


class Fetch(Protocol):
    def __call__(self, plan: ListPlan, start: Position | None, limit: int) -> QueryBatch: ...


def plan(client_id: str, query: ListQuery) -> ListPlan:
    """The narrowest index for the filters; with both customer filters, the email is filtered."""
    email = query.customer_email.lower() if query.customer_email else None
    index: Index = "by_created"
    key = None
    if query.customer_id is not None:
        index, key = "by_customer", query.customer_id
    elif email is not None:
        index, key, email = "by_email", email, None
    return ListPlan(
        client_id=client_id,
        index=index,
        key=key,
        created_after=query.created_after,
        created_before=query.created_before,
        ascending=query.sort == "created_at",
        status=query.status,
        also_email=email,
        include_deleted=query.include_deleted,
    )


def fingerprint(plan: ListPlan) -> str:
    """Binds a cursor to its client and its exact filters, in normalised form."""
    facts = [
        plan.client_id,
        plan.index,
        plan.key,
        format_instant(plan.created_after) if plan.created_after else None,
        format_instant(plan.created_before) if plan.created_before else None,
        plan.ascending,
        plan.status,
        plan.also_email,
        plan.include_deleted,
    ]
    digest = hashlib.sha256(json.dumps(facts, separators=(",", ":")).encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def next_parameters(query: ListQuery, cursor: str) -> dict[str, str]:
    """The same filters in normalised form, plus the cursor; defaults are left out."""
    parameters: dict[str, str] = {"limit": str(query.limit)}
    if query.customer_id is not None:
        parameters["customer_id"] = query.customer_id
    if query.customer_email is not None:
        parameters["customer_email"] = query.customer_email
    if query.created_after is not None:
        parameters["created_after"] = format_instant(query.created_after)
    if query.created_before is not None:
        parameters["created_before"] = format_instant(query.created_before)
    if query.status is not None:
        parameters["status"] = query.status
    if query.include_deleted:
        parameters["include_deleted"] = "true"
    if query.sort != "-created_at":
        parameters["sort"] = query.sort
    parameters["after"] = cursor
    return parameters
