"""GET /v1/orders through the real handler and authorizer, against moto."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orders_api.app import client_admin
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.models import Customer, Item, Order
from orders_api.store.orders import OrderRecord, Repository
from orders_api.store.registry import Registry

from testkit import DEMO_KEY, OTHER_KEY, Api, Context, DynamoCalls, handler_module

T0 = datetime(2021, 10, 1, 22, 0, tzinfo=UTC)
EVENT = Path(__file__).parents[2] / "events" / "list_orders.json"


def store(
    repository: Repository,
    client_id: str,
    order_id: str,
    *,
    customer: str = "C1",
    email: str | None = None,
    created: datetime = T0,
    status: str = "placed",
    deleted: bool = False,
    items: list[Item] | None = None,
) -> None:
    """Written straight to the table, so tests choose created_at (ties included)."""
    order = Order.model_validate(
        {
            "id": order_id,
            "customer": Customer(id=customer, email=email),
            "created_at": created,
            "updated_at": created,
            "status": status,
            "deleted": deleted,
            "note": client_id,
            "items": items or [],
        }
    )
    repository.save_order(client_id, OrderRecord(order), expected_version=None, due_at=None)


def walk(api: Api, query: dict[str, str], key: str = DEMO_KEY) -> list[dict[str, Any]]:
    """Follows links.next to the end; every page is a 200 within its limit."""
    limit = int(query.get("limit", "100"))
    reply = api.call("GET", "/v1/orders", query=query, key=key)
    seen: list[dict[str, Any]] = []
    while True:
        assert reply.status == 200, reply.text
        assert len(reply.json["data"]) <= limit
        seen.extend(reply.json["data"])
        link = reply.json["links"]["next"]
        if link is None:
            return seen
        reply = api.call("GET", link, key=key)


def new_client(registry: Registry) -> tuple[str, str]:
    client_id = f"t{uuid.uuid4().hex[:12]}"
    client_admin.create_client(registry, ClientSettings(client_id=client_id))
    return client_id, client_admin.issue_key(registry, client_id, f"key-{client_id}")


@dataclass(frozen=True)
class Spec:
    client: int
    order_id: str
    customer: str
    email: str | None
    created: datetime
    status: str
    deleted: bool


CUSTOMERS = ("C1", "C#2", "c 3")
STATUSES = ("placed", "paid", "shipped")
INSTANTS = [T0 + timedelta(hours=5 * n) for n in range(5)] + [T0 + timedelta(microseconds=1)]
specs = st.lists(
    st.builds(
        Spec,
        client=st.integers(0, 1),
        order_id=st.text(st.sampled_from("aB#/ é\U0001f600"), min_size=1, max_size=3),
        customer=st.sampled_from(CUSTOMERS),
        email=st.sampled_from([None, "ann@example.com", "ANN@example.com", "bob@example.com"]),
        created=st.sampled_from(INSTANTS),
        status=st.sampled_from(STATUSES),
        deleted=st.booleans(),
    ),
    max_size=25,
    unique_by=lambda spec: (spec.client, spec.order_id),
)


@st.composite
def bounds(draw: st.DrawFn) -> tuple[datetime, str] | None:
    if draw(st.booleans()):
        return None
    instant = draw(st.sampled_from(INSTANTS)) + draw(st.sampled_from([timedelta(0), timedelta(seconds=-1)]))
    midnight = datetime.combine(instant.date(), time(), UTC)
    return draw(
        st.sampled_from(
            [
                (midnight, instant.date().isoformat()),
                (instant, instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
                (instant, instant.astimezone(timezone(timedelta(hours=2))).isoformat()),
            ]
        )
    )


@dataclass(frozen=True)
class Filters:
    limit: int
    customer_id: str | None
    customer_email: str | None
    after: tuple[datetime, str] | None
    before: tuple[datetime, str] | None
    status: str | None
    include_deleted: bool
    ascending: bool

    def query(self) -> dict[str, str]:
        given = {
            "limit": str(self.limit),
            "customer_id": self.customer_id,
            "customer_email": self.customer_email,
            "created_after": self.after[1] if self.after else None,
            "created_before": self.before[1] if self.before else None,
            "status": self.status,
            "include_deleted": "true" if self.include_deleted else None,
            "sort": "created_at" if self.ascending else None,
        }
        return {name: value for name, value in given.items() if value is not None}

    def matches(self, spec: Spec) -> bool:
        return (
            (self.customer_id is None or spec.customer == self.customer_id)
            and (
                self.customer_email is None
                or (spec.email is not None and spec.email.lower() == self.customer_email.lower())
            )
            and (self.after is None or spec.created > self.after[0])
            and (self.before is None or spec.created < self.before[0])
            and (self.status is None or spec.status == self.status)
            and (self.include_deleted or not spec.deleted)
        )


filters = st.builds(
    Filters,
    limit=st.integers(1, 6),
    customer_id=st.none() | st.sampled_from([*CUSTOMERS, "nobody"]),
    customer_email=st.none() | st.sampled_from(["ann@example.com", "Ann@Example.COM", "bob@example.com"]),
    after=bounds(),
    before=bounds(),
    status=st.none() | st.sampled_from(STATUSES),
    include_deleted=st.booleans(),
    ascending=st.booleans(),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orders=specs, wanted=filters)
def test_following_next_returns_exactly_the_matching_orders_in_order(
    api: Api, repository: Repository, registry: Registry, orders: list[Spec], wanted: Filters
) -> None:
    clients = [new_client(registry), new_client(registry)]
    for spec in orders:
        client_id = clients[spec.client][0]
        store(
            repository,
            client_id,
            spec.order_id,
            customer=spec.customer,
            email=spec.email,
            created=spec.created,
            status=spec.status,
            deleted=spec.deleted,
        )
    expected = sorted(
        (spec for spec in orders if spec.client == 0 and wanted.matches(spec)),
        key=lambda spec: (spec.created, spec.order_id),
        reverse=not wanted.ascending,
    )
    seen = walk(api, wanted.query(), key=clients[0][1])
    assert [order["id"] for order in seen] == [spec.order_id for spec in expected]
    assert {order["note"] for order in seen} <= {clients[0][0]}


def test_ties_in_created_at_are_ordered_by_id(api: Api, repository: Repository) -> None:
    for order_id in ("b", "a#2", "a", "c", "a#10"):
        store(repository, "demo", order_id)
    assert [o["id"] for o in walk(api, {"limit": "2", "sort": "created_at"})] == [
        "a",
        "a#10",
        "a#2",
        "b",
        "c",
    ]
    assert [o["id"] for o in walk(api, {"limit": "3"})] == ["c", "b", "a#2", "a#10", "a"]


def test_deleted_orders_are_listed_only_when_asked_for(api: Api, repository: Repository) -> None:
    store(repository, "demo", "kept")
    store(repository, "demo", "gone", deleted=True, created=T0 + timedelta(seconds=1))
    assert [o["id"] for o in walk(api, {})] == ["kept"]
    listed = walk(api, {"include_deleted": "true"})
    assert [(o["id"], o["deleted"]) for o in listed] == [("gone", True), ("kept", False)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"created_after": "2021-10-01T13:00:00"}, "created_after"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2021-13-01"}, "created_before"),
        ({"created_before": "2021-02-30T10:00:00Z"}, "created_before"),
        ({"status": "lost"}, "status"),
        ({"sort": "created"}, "sort"),
        ({"sort": "-id"}, "sort"),
        ({"include_deleted": "maybe"}, "include_deleted"),
        ({"customer_email": "not-an-email"}, "customer_email"),
    ],
)
def test_invalid_parameters_are_422_problems_naming_them(api: Api, query: dict[str, str], field: str) -> None:
    reply = api.call("GET", "/v1/orders", query=query)
    assert reply.status == 422
    assert reply.header("Content-Type") == "application/problem+json; charset=utf-8"
    assert [error["field"] for error in reply.json["errors"]] == [field]


def test_every_invalid_parameter_is_listed(api: Api) -> None:
    reply = api.call("GET", "/v1/orders", query={"limit": "0", "sort": "x", "status": "y"})
    assert reply.status == 422
    assert {error["field"] for error in reply.json["errors"]} == {"limit", "sort", "status"}


def first_cursor(api: Api, repository: Repository, query: dict[str, str]) -> str:
    for number in range(3):
        store(repository, "demo", f"O{number}", created=T0 + timedelta(seconds=number))
    link: str = api.call("GET", "/v1/orders", query={**query, "limit": "1"}).json["links"]["next"]
    return dict(parse_qsl(urlsplit(link).query))["after"]


@pytest.mark.parametrize(
    ("query", "key", "message"),
    [
        ({"status": "placed"}, OTHER_KEY, "filters or another client"),
        ({"status": "paid"}, DEMO_KEY, "filters or another client"),
        ({"status": "placed", "sort": "created_at"}, DEMO_KEY, "filters or another client"),
        ({"status": "placed", "created_before": "2030-01-01"}, DEMO_KEY, "filters or another client"),
    ],
)
def test_a_foreign_or_mismatched_cursor_is_a_400(
    api: Api, repository: Repository, query: dict[str, str], key: str, message: str
) -> None:
    cursor = first_cursor(api, repository, {"status": "placed"})
    reply = api.call("GET", "/v1/orders", query={**query, "after": cursor}, key=key)
    assert reply.status == 400
    assert reply.json["errors"][0]["field"] == "after"
    assert message in reply.json["errors"][0]["message"]


@pytest.mark.parametrize(
    "mangle", [lambda c: c[:-1], lambda c: "x" + c, lambda c: c.replace(".", ".."), str.upper]
)
def test_a_tampered_cursor_is_a_400(api: Api, repository: Repository, mangle: Any) -> None:
    cursor = first_cursor(api, repository, {})
    reply = api.call("GET", "/v1/orders", query={"after": mangle(cursor)})
    assert reply.status == 400
    assert reply.json["errors"] == [{"field": "after", "message": "is not a cursor this API issued"}]


@pytest.mark.parametrize("cursor", ["", "a.b", "." * 9000, "\u00e9.\u00e9", "eyJ2IjoxfQ"])
def test_garbage_cursors_are_400s(api: Api, cursor: str) -> None:
    reply = api.call("GET", "/v1/orders", query={"after": cursor})
    assert reply.status == 400
    assert reply.json["errors"][0]["field"] == "after"


def test_next_carries_the_same_filters(api: Api, repository: Repository) -> None:
    for number in range(3):
        store(repository, "demo", f"O{number}", customer="C 1", email="ann@example.com", status="paid")
    query = {
        "limit": "1",
        "customer_id": "C 1",
        "customer_email": "ANN@example.com",
        "created_after": "2021-10-01",
        "created_before": "2021-10-02T12:00:00+02:00",
        "status": "paid",
        "include_deleted": "true",
        "sort": "created_at",
    }
    link = api.call("GET", "/v1/orders", query=query).json["links"]["next"]
    assert link.startswith("/v1/orders?")
    carried = dict(parse_qsl(urlsplit(link).query))
    assert carried.pop("after")
    assert carried == {
        **query,
        "customer_email": "ANN@example.com",
        "created_after": "2021-10-01T00:00:00.000000Z",
        "created_before": "2021-10-02T10:00:00.000000Z",
    }
    assert [o["id"] for o in walk(api, query)] == ["O0", "O1", "O2"]


def test_one_query_per_page_and_never_a_scan(
    api: Api, repository: Repository, ddb_calls: DynamoCalls
) -> None:
    for number in range(10):
        store(repository, "demo", f"O{number}", created=T0 + timedelta(seconds=number))
    for query in (
        {"limit": "3", "include_deleted": "true"},
        {"limit": "4", "include_deleted": "true", "customer_id": "C1", "created_after": "2021-10-01"},
        {"limit": "5", "sort": "created_at"},
    ):
        ddb_calls.clear()
        reply = api.call("GET", "/v1/orders", query=query)
        pages = 1
        while reply.json["links"]["next"]:
            assert ddb_calls == {"Query": pages}
            reply = api.call("GET", reply.json["links"]["next"])
            pages += 1
        assert ddb_calls == {"Query": pages}
        assert pages == -(-10 // int(query["limit"]))


def test_a_page_never_exceeds_5_mb(api: Api, repository: Repository) -> None:
    items = [
        Item(id=f"I{n}", name="x" * 1150, created_at=T0, updated_at=T0)  # about 1.5 KB of JSON each
        for n in range(250)
    ]
    for number in range(16):
        store(repository, "demo", f"O{number:02}", created=T0 + timedelta(seconds=number), items=items)
    first = api.call("GET", "/v1/orders", query={"limit": "1000"})
    assert first.status == 200
    assert 4 * 1024 * 1024 < len(first.text.encode()) <= 5 * 1024 * 1024
    assert first.json["links"]["next"] is not None
    ids = [o["id"] for o in walk(api, {"limit": "1000"})]
    assert ids == [f"O{number:02}" for number in reversed(range(16))]


def test_client_id_parameter_must_be_the_callers(api: Api) -> None:
    assert api.call("GET", "/v1/orders", query={"client_id": "demo"}).status == 200
    assert api.call("GET", "/v1/orders", query={"client_id": "other"}).status == 403


def test_sample_event_answers_with_an_absolute_next_link(api: Api, repository: Repository) -> None:
    for number in range(3):
        store(
            repository, "demo", f"O{number}", email="jane@example.com", created=T0 + timedelta(seconds=number)
        )
    event = json.loads(EVENT.read_text())
    response = handler_module("ListOrdersFunction").lambda_handler(event, Context())
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert [o["id"] for o in body["data"]] == ["O2", "O1"]
    assert body["links"]["next"].startswith(
        "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/v1/orders?limit=2&customer_email=Jane%40example.com&created_after=2021-10-01T00"
    )


def test_openapi_documents_every_parameter(api: Api) -> None:
    document = api.call("GET", "/v1/openapi.json", key=None).json
    operation = document["paths"]["/v1/orders"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "limit",
        "customer_id",
        "customer_email",
        "created_after",
        "created_before",
        "status",
        "include_deleted",
        "sort",
        "after",
        "client_id",
        "X-Request-Id",
    }
    assert set(operation["responses"]) >= {"200", "400", "422"}
