"""Listing orders: which index serves a filter set, its sort-key bounds and the cursor.

No DynamoDB here, so every rule can be tested without a table. Each filter set maps to one
Query on one index partition with the creation-time bounds in the key condition; only
status, deleted orders and an email next to a customer id are left to a FilterExpression.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import BeforeValidator, WithJsonSchema

from orders_api.adapters import signing
from orders_api.domain.errors import BadRequest
from orders_api.domain.models import FieldError, Order, Status
from orders_api.store import keys
from orders_api.store.keys import format_instant

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
CURSOR_PURPOSE = "cursor"
CURSOR_VERSION = 1

Index = Literal["by_created", "by_customer", "by_email"]
SortOrder = Literal["-created_at", "created_at"]

# Sort keys are "<instant>#<id>"; '$' follows '#', so "<instant>$" sorts after every key of that instant.
_PAST_INSTANT = "$"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOUND_FORMAT = "must be YYYY-MM-DD or an ISO-8601 date-time with zone, such as 2021-10-01T13:00:00Z"


def _created_bound(value: Any) -> Any:
    """A bare date is its midnight UTC; a date-time without zone is refused, as its instant is unknown."""
    if not isinstance(value, str):
        return value
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


CreatedBound = Annotated[
    datetime,
    BeforeValidator(_created_bound),
    WithJsonSchema({"type": "string", "examples": ["2021-10-01", "2021-10-01T13:00:00Z"]}),
]


@dataclass(frozen=True)
class ListQuery:
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
    """Where reading stopped: the index sort key and the table key of that order."""

    sort_key: str
    pk: str


@dataclass(frozen=True)
class QueryPlan:
    """One Query: a partition of an index, inclusive sort-key bounds, and what is left to filter."""

    index: Index
    partition: str
    sort_from: str | None
    sort_to: str | None
    ascending: bool
    status: Status | None
    email_partition: str | None
    include_deleted: bool

    @property
    def is_empty(self) -> bool:
        return self.sort_from is not None and self.sort_to is not None and self.sort_from > self.sort_to

    def covers(self, sort_key: str) -> bool:
        return (self.sort_from is None or sort_key >= self.sort_from) and (
            self.sort_to is None or sort_key <= self.sort_to
        )


@dataclass
class QueryBatch:
    """What one Query returned; last is where DynamoDB stopped reading, None at the end."""

    orders: list[tuple[Position, Order]]
    last: Position | None
    scanned: int


class Fetch(Protocol):
    def __call__(self, plan: QueryPlan, start: Position | None, limit: int) -> QueryBatch: ...


def plan(client_id: str, query: ListQuery) -> QueryPlan:
    """The narrowest index for the filters; with both customer filters, the email is filtered."""
    email_partition = (
        keys.orders_by_email_pk(client_id, query.customer_email) if query.customer_email else None
    )
    index: Index
    if query.customer_id is not None:
        index, partition = "by_customer", keys.orders_by_customer_pk(client_id, query.customer_id)
    elif email_partition is not None:
        index, partition, email_partition = "by_email", email_partition, None
    else:
        index, partition = "by_created", keys.orders_by_created_pk(client_id)
    after, before = query.created_after, query.created_before
    return QueryPlan(
        index=index,
        partition=partition,
        sort_from=format_instant(after) + _PAST_INSTANT if after is not None else None,
        sort_to=format_instant(before) if before is not None else None,
        ascending=query.sort == "created_at",
        status=query.status,
        email_partition=email_partition,
        include_deleted=query.include_deleted,
    )


def _fingerprint(client_id: str, plan: QueryPlan) -> str:
    """Binds a cursor to its client and its exact filters, in normalised form."""
    facts = [
        client_id,
        plan.index,
        plan.partition,
        plan.sort_from,
        plan.sort_to,
        plan.ascending,
        plan.status,
        plan.email_partition,
        plan.include_deleted,
    ]
    digest = hashlib.sha256(json.dumps(facts, separators=(",", ":")).encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def encode_cursor(client_id: str, plan: QueryPlan, position: Position) -> str:
    payload = {
        "v": CURSOR_VERSION,
        "f": _fingerprint(client_id, plan),
        "k": position.sort_key,
        "p": position.pk,
    }
    return signing.sign(CURSOR_PURPOSE, payload)


def _bad_cursor(message: str) -> BadRequest:
    return BadRequest(
        f"The cursor in `after` {message}. Follow links.next as given, or start again without `after`.",
        errors=[FieldError(field="after", message=message)],
    )


def decode_cursor(client_id: str, plan: QueryPlan, token: str) -> Position:
    """The position a cursor names; anything forged, foreign or for other filters is a 400."""
    payload = signing.verify(CURSOR_PURPOSE, token)
    if payload is None:
        raise _bad_cursor("is not a cursor this API issued")
    if payload.get("v") != CURSOR_VERSION:
        raise _bad_cursor("is from an older version of the API")
    if payload.get("f") != _fingerprint(client_id, plan):
        raise _bad_cursor("belongs to other filters or another client")
    sort_key, pk = payload.get("k"), payload.get("p")
    if (
        not isinstance(sort_key, str)
        or not isinstance(pk, str)
        or not pk.startswith(keys.order_pk(client_id, ""))
        or not plan.covers(sort_key)
    ):
        raise _bad_cursor("is not a cursor this API issued")
    return Position(sort_key=sort_key, pk=pk)


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
