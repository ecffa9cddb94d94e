"""Listing rules without a table: index choice, sort-key bounds, cursors and page filling."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orders_api.adapters import signing
from orders_api.app import listing as page_reading
from orders_api.domain import listing
from orders_api.domain.errors import Unreadable
from orders_api.domain.instants import format_instant
from orders_api.domain.listing import ListPlan, ListQuery, Position, QueryBatch
from orders_api.domain.models import Customer, Order
from orders_api.domain.serialization import dumps
from orders_api.store import keys
from orders_api.store.pages import index_query, is_position_of

T0 = datetime(2021, 10, 1, 13, 0, tzinfo=UTC)


def sort_key(created_at: datetime, order_id: str) -> str:
    return keys.created_sort_key(format_instant(created_at), order_id)


def covers(plan: ListPlan, key: str) -> bool:
    return is_position_of(plan, Position(key, keys.order_pk(plan.client_id, "O1")))


def test_no_customer_filter_reads_the_clients_creation_index() -> None:
    plan = listing.plan("shop", ListQuery())
    assert (plan.index, index_query(plan).partition) == ("by_created", keys.orders_by_created_pk("shop"))
    assert index_query(plan).sort_from is None
    assert index_query(plan).sort_to is None
    assert not plan.ascending
    assert index_query(plan).email_partition is None


def test_customer_id_reads_the_customer_index() -> None:
    plan = listing.plan("shop", ListQuery(customer_id="C#1", sort="created_at"))
    assert (plan.index, index_query(plan).partition) == ("by_customer", keys.customer_pk("shop", "C#1"))
    assert plan.ascending


def test_email_alone_reads_the_email_index_case_insensitively() -> None:
    plan = listing.plan("shop", ListQuery(customer_email="Ann@Example.COM"))
    assert (plan.index, index_query(plan).partition) == ("by_email", "C#shop#E#ann@example.com")
    assert index_query(plan).email_partition is None


def test_customer_id_and_email_filter_the_email_within_the_customer() -> None:
    plan = listing.plan("shop", ListQuery(customer_id="C1", customer_email="Ann@Example.com"))
    assert plan.index == "by_customer"
    assert index_query(plan).email_partition == keys.orders_by_email_pk("shop", "ann@example.com")


instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
).map(lambda value: value.replace(microsecond=value.microsecond - value.microsecond % 250_000))
ids = st.text(st.sampled_from("aZ#$/ é\U0001f600\x00"), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(created=instants, order_id=ids, after=instants, before=instants)
def test_sort_key_bounds_are_exclusive_creation_bounds(
    created: datetime, order_id: str, after: datetime, before: datetime
) -> None:
    plan = listing.plan("shop", ListQuery(created_after=after, created_before=before))
    inside = after < created < before
    assert covers(plan, sort_key(created, order_id)) == inside
    assert plan.is_empty == (after >= before)


def test_an_empty_range_needs_no_query() -> None:
    plan = listing.plan("shop", ListQuery(created_after=T0, created_before=T0))
    calls: list[int] = []

    def fetch(plan: ListPlan, start: Position | None, limit: int) -> QueryBatch:
        calls.append(limit)
        return QueryBatch([], None, 0)

    page = page_reading.read_page(fetch, plan, None, 10)
    assert (page.data, page.next, calls) == ([], None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-10-01", datetime(2021, 10, 1, tzinfo=UTC)),
        ("2021-10-01T13:00:00Z", T0),
        ("2021-10-01T15:00:00+02:00", T0),
        ("2021-10-01T13:00:00.250000Z", T0 + timedelta(milliseconds=250)),
    ],
)
def test_created_bounds_are_utc_instants(text: str, expected: datetime) -> None:
    assert listing.created_bound(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2021-10-01T13:00:00", "yesterday", "2021-13-01", "2021-02-30", "", "0001-01-01T00:00:00+01:00"],
)
def test_created_bounds_refuse_unzoned_and_malformed_values(text: str) -> None:
    with pytest.raises(ValueError, match=r"must|out of range"):
        listing.created_bound(text)


def test_bounds_before_year_1000_still_sort_before_every_order() -> None:
    plan = listing.plan("shop", ListQuery(created_after=datetime(999, 1, 1, tzinfo=UTC)))
    assert covers(plan, sort_key(T0, "O1"))


def test_cursor_round_trips_its_position() -> None:
    plan = listing.plan("shop", ListQuery(customer_id="C1"))
    position = Position(sort_key(T0, "O#1"), keys.order_pk("shop", "O#1"))
    cursor = page_reading.encode_cursor(plan, position)
    assert page_reading.decode_cursor(plan, cursor, is_position_of) == position


def _refused(client_id: str, plan: ListPlan, token: str) -> str:
    with pytest.raises(Unreadable) as refused:
        page_reading.decode_cursor(plan, token, is_position_of)
    assert refused.value.errors is not None
    assert [error.field for error in refused.value.errors] == ["after"]
    return refused.value.errors[0].message


def test_cursor_is_bound_to_client_and_filters() -> None:
    plan = listing.plan("shop", ListQuery(status="paid"))
    position = Position(sort_key(T0, "O1"), keys.order_pk("shop", "O1"))
    cursor = page_reading.encode_cursor(plan, position)
    assert "filters" in _refused("other", listing.plan("other", ListQuery(status="paid")), cursor)
    assert "filters" in _refused("shop", listing.plan("shop", ListQuery(status="placed")), cursor)
    ascending = listing.plan("shop", ListQuery(status="paid", sort="created_at"))
    assert "filters" in _refused("shop", ascending, cursor)
    assert "issued" in _refused("shop", plan, cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB"))


def test_equivalent_filters_share_cursors() -> None:
    as_date = listing.plan("shop", ListQuery(created_after=datetime(2021, 10, 1, tzinfo=UTC)))
    position = Position(sort_key(T0, "O1"), keys.order_pk("shop", "O1"))
    cursor = page_reading.encode_cursor(as_date, position)
    by_email = listing.plan("shop", ListQuery(customer_email="ANN@example.com"))
    assert page_reading.decode_cursor(as_date, cursor, is_position_of) == position
    email_cursor = page_reading.encode_cursor(by_email, position)
    same_email = listing.plan("shop", ListQuery(customer_email="ann@EXAMPLE.com"))
    assert page_reading.decode_cursor(same_email, email_cursor, is_position_of) == position


def test_signed_but_wrong_payloads_are_refused() -> None:
    plan = listing.plan("shop", ListQuery())
    position = Position(sort_key(T0, "O1"), keys.order_pk("shop", "O1"))
    issued = signing.verify(page_reading.CURSOR_PURPOSE, page_reading.encode_cursor(plan, position))
    assert issued is not None

    def forged(**changes: object) -> str:
        return signing.sign(page_reading.CURSOR_PURPOSE, {**issued, **changes})

    assert "older" in _refused("shop", plan, forged(v=0))
    assert "older" in _refused("shop", plan, forged(v=1))
    assert "issued" in _refused("shop", plan, forged(p=keys.order_pk("other", "O1")))
    assert "issued" in _refused("shop", plan, forged(k=7))
    assert "issued" in _refused("shop", plan, signing.sign("unsubscribe", issued))
    assert "issued" in _refused("shop", plan, "not-a-cursor")


def test_a_cursor_outside_the_range_is_refused() -> None:
    plan = listing.plan("shop", ListQuery(created_before=T0))
    outside = Position(sort_key(T0 + timedelta(days=1), "O1"), keys.order_pk("shop", "O1"))
    assert "issued" in _refused("shop", plan, page_reading.encode_cursor(plan, outside))


def test_next_parameters_carry_the_normalised_filters() -> None:
    query = ListQuery(
        limit=5,
        customer_id="C 1",
        customer_email="ann@example.com",
        created_after=datetime(2021, 10, 1, tzinfo=UTC),
        created_before=T0,
        status="paid",
        include_deleted=True,
        sort="created_at",
    )
    assert listing.next_parameters(query, "CUR") == {
        "limit": "5",
        "customer_id": "C 1",
        "customer_email": "ann@example.com",
        "created_after": "2021-10-01T00:00:00.000000Z",
        "created_before": "2021-10-01T13:00:00.000000Z",
        "status": "paid",
        "include_deleted": "true",
        "sort": "created_at",
        "after": "CUR",
    }
    assert listing.next_parameters(ListQuery(), "CUR") == {"limit": "100", "after": "CUR"}


def make_order(number: int, note: str | None = None) -> Order:
    created = T0 + timedelta(seconds=number)
    return Order(
        id=f"O{number}", customer=Customer(id="C1"), created_at=created, updated_at=created, note=note
    )


def shown(order: Order) -> str:
    return dumps(order.public())


class FakeIndex:
    """An index partition in memory; `keep` plays the FilterExpression."""

    def __init__(self, count: int, keep: int = 1, note: str | None = None) -> None:
        self.orders = [make_order(n, note) for n in range(count)]
        self.keep = keep
        self.limits: list[int] = []

    def position(self, order: Order) -> Position:
        return Position(sort_key(order.created_at, order.id), keys.order_pk("shop", order.id))

    def __call__(self, plan: ListPlan, start: Position | None, limit: int) -> QueryBatch:
        self.limits.append(limit)
        positions = [self.position(order) for order in self.orders]
        begin = positions.index(start) + 1 if start else 0
        read = list(zip(positions, self.orders, strict=True))[begin : begin + limit]
        kept = [(at, shown(order)) for at, order in read if int(order.id[1:]) % self.keep == 0]
        more = begin + limit < len(self.orders)
        return QueryBatch(kept, read[-1][0] if more and read else None, len(read))


PLAN = listing.plan("shop", ListQuery(sort="created_at"))


def walk(index: FakeIndex, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    start = None
    while True:
        page = page_reading.read_page(index, PLAN, start, limit)
        pages.append([json.loads(order)["id"] for order in page.data])
        if page.next is None:
            return pages
        start = page.next


def test_pages_read_one_more_than_the_limit_and_end_with_no_next() -> None:
    index = FakeIndex(6)
    assert walk(index, 3) == [["O0", "O1", "O2"], ["O3", "O4", "O5"]]
    assert index.limits == [4, 4]


def test_a_filter_that_drops_orders_fills_the_page_with_further_queries() -> None:
    index = FakeIndex(30, keep=3)
    pages = walk(index, 4)
    assert [order for page in pages for order in page] == [f"O{n}" for n in range(0, 30, 3)]
    assert all(len(page) == 4 for page in pages[:-1])
    assert index.limits[1] > index.limits[0]


def test_a_page_ends_before_it_would_pass_5_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    size = len(shown(make_order(0, "x" * 2000)).encode()) + 1
    monkeypatch.setattr(page_reading, "MAX_PAGE_BYTES", page_reading.ENVELOPE_BYTES + size * 5 + size // 2)
    assert [len(page) for page in walk(FakeIndex(14, note="x" * 2000), 1000)] == [5, 5, 4]


def test_the_time_budget_ends_a_page_early_where_reading_stopped() -> None:
    index = FakeIndex(40, keep=100)
    ticks = iter(range(0, 1000, 3))
    page = page_reading.read_page(index, PLAN, None, 5, clock=lambda: float(next(ticks)))
    assert page.data == [shown(make_order(0))]
    assert page.next == index.position(index.orders[sum(index.limits) - 1])
    assert len(index.limits) == 2
