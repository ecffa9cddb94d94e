"""Orders and customers shown from the stored documents (no models) are what the models show.

Each order is stored as the writers store it (Repository._order_item) and read back both ways:
as the read functions show it (store.documents) and through the models, as the writers read it
(store.orders.order_record, then Order.public()). Customers likewise, with their suppression.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orders_api.domain import examples, invitations, mail_state, merge, transitions
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.customer_models import CustomerEnvelope, CustomerProfile
from orders_api.domain.instants import format_instant
from orders_api.domain.models import Order, OrderIn, StatusUpdateRequest
from orders_api.domain.privacy import erased_order
from orders_api.domain.public import envelope_json, order_json, page_json
from orders_api.domain.serialization import dumps
from orders_api.store.attributes import AttributeMap
from orders_api.store.documents import DEFAULTS_NAMED, customer_fields, shown_order
from orders_api.store.orders import OrderRecord, Repository, _customer_record, order_record
from orders_api.store.table import Table

from bench.scenarios import order_body

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
SETTINGS = ClientSettings(client_id="shop", default_locale="de")
STORE = Repository(Table("OrdersTable", client=None))


def stored(
    order: Order, opt_out: bool | None = None, mail: dict[str, Any] | None = None, *, hinted: bool = True
) -> AttributeMap:
    """The table item a writer makes; opt_out as a later change of the customer's choice leaves it,
    and without the hint whether defaults are named when `hinted` is false, as items written before it."""
    item = STORE._order_item("shop", OrderRecord(order, mail or {}), None)
    if opt_out is not None:
        item["opt_out"] = {"BOOL": opt_out}
    if not hinted:
        del item[DEFAULTS_NAMED]
    return item


def assert_shown_as_the_models_show(item: AttributeMap) -> str:
    shown = shown_order(item)
    expected = order_record(item).order.public()
    assert json.loads(shown.json) == expected
    assert shown.version == expected["version"]
    return shown.json


def written(body: dict[str, Any], now: datetime = NOW) -> Order:
    """An order as POST /v1/orders makes it, invitation scheduled."""
    order = merge.create(OrderIn.model_validate(body), now, invitations.defaults(SETTINGS))
    order = order.model_copy(update={"version": 1})
    return order.model_copy(update={"invitation": invitations.schedule(order, SETTINGS, now)})


def fixtures() -> dict[str, Order]:
    """Every order this repository writes down: the document's examples, the SAM event, the bench's."""
    event = json.loads((ROOT / "tests" / "fixtures" / "sam_generate_event_create_order.json").read_text())
    sam = json.loads(base64.b64decode(event["body"]))["order"]
    example = Order.model_validate(examples.ORDER)
    shipped = transitions.move(
        written(examples.ORDER_IN),
        StatusUpdateRequest(status="delivered", note="Left with a neighbour", notify_customer=True),
        NOW + timedelta(days=2),
        (NOW + timedelta(days=2)).date(),
    )
    reviewed = written(
        {
            "id": "R1",
            "locale": "nl-be",
            "customer": {"id": "C1", "email": "Ann@Example.com", "name": "Ann"},
            "items": [
                {"id": "A", "name": "Named", "reviewed": True},
                {"id": "B", "name": "", "reviewable": None},
                {"id": "C"},
                {"id": "D", "name": "Not reviewable", "reviewable": False},
                {
                    "id": "E",
                    "reviewable": True,
                    "price": "0.00001",
                    "properties": {"tiny": 1e-7, "big": 1e16},
                },
            ],
        }
    )
    found = {
        "example": example,
        "sam event": written(sam),
        "shipped": shipped,
        "erased": erased_order(shipped, NOW + timedelta(days=3)),
        "reviewed": reviewed,
        "deleted": example.model_copy(update={"deleted": True, "deleted_at": NOW}),
        "bench 100 items": written(order_body("O-bench", 100)["order"]),
    }
    for number, batch in enumerate(examples.BATCH_RESULTS["data"]):
        if "order" in batch:
            found[f"batch result {number}"] = Order.model_validate(batch["order"])
    return found


@pytest.mark.parametrize("hinted", [True, False])
@pytest.mark.parametrize("opt_out", [None, True, False])
@pytest.mark.parametrize("name", sorted(fixtures()))
def test_every_fixture_is_shown_as_the_models_show_it(name: str, opt_out: bool | None, hinted: bool) -> None:
    order = fixtures()[name]
    mail = mail_state.MailState().dump()
    assert_shown_as_the_models_show(stored(order, opt_out, mail, hinted=hinted))


def test_the_shown_text_is_what_the_get_answered_before() -> None:
    """Byte for byte where no number needs an exponent, so ETags and caches see no change."""
    for name, order in fixtures().items():
        if name == "reviewed":  # 1e-05: pydantic writes it 1e-5, json.dumps 1e-05; the same number
            continue
        item = stored(order, opt_out=True)
        assert shown_order(item).json == dumps(order_record(item).order.public()), name


# Text that imitates the fields the shown text edits, where a careless edit would find it.
TRAPS = [
    '"reviewable":null',
    '"customer":{',
    '"opt_out":true',
    '"opt_out":false,"erased":',
    '"name":null,"url":',
    '"name":"","url":',
    "\\",
    '"}',
    "é\U0001f600",
]
text = st.one_of(st.sampled_from(TRAPS), st.text(st.sampled_from('ab"\\{}:,nul '), max_size=8))
identifiers = st.one_of(st.sampled_from(TRAPS), st.text(st.sampled_from('ab"\\{}:,'), min_size=1, max_size=8))
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
money = st.one_of(
    st.sampled_from(
        [Decimal("0.00001"), Decimal("1E+2"), Decimal("19.99"), Decimal("0"), Decimal("123456789.12")]
    ),
    st.decimals(min_value=0, max_value=Decimal("9999999"), places=2),
)
keys = st.one_of(
    st.sampled_from(["reviewable", "opt_out", "name", "url", "customer", "version"]), identifiers
)
attributes = st.dictionaries(
    keys,
    st.one_of(st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False), text),
    max_size=4,
)
items = st.lists(
    st.fixed_dictionaries(
        {
            "id": identifiers,
            "created_at": instants,
            "updated_at": instants,
            "name": st.one_of(st.none(), st.just(""), text),
            "reviewable": st.one_of(st.none(), st.booleans()),
            "reviewed": st.booleans(),
            "deleted": st.booleans(),
        },
        optional={
            "url": st.sampled_from(['https://shop.example/p?a=1&b="2"', "http://x.example/"]),
            "price": money,
            "quantity": st.integers(1, 3),
            "properties": attributes,
            "sku": text,
        },
    ),
    max_size=5,
    unique_by=lambda item: item["id"],
)
CUSTOMER_DETAILS = {
    "email": st.sampled_from(["ann@example.com", "o.brien@example.org"]),
    "name": text,
    "phone": st.just("+31 20 123 4567"),
    "opt_out": st.booleans(),
    "erased": st.booleans(),
}
orders = st.fixed_dictionaries(
    {
        "id": identifiers,
        "customer": st.fixed_dictionaries(
            {"id": identifiers}, optional={**CUSTOMER_DETAILS, "created_at": instants, "updated_at": instants}
        ),
        "created_at": instants,
        "updated_at": instants,
        "items": items,
        "version": st.integers(0, 10**6),
    },
    optional={
        "note": text,
        "attributes": attributes,
        "locale": st.sampled_from(["nl-NL", "de", "pt-BR"]),
        "total_value": money,
        "currency": st.just("EUR"),
        "time_zone": st.just("Europe/Amsterdam"),
        "placed_at": instants,
        "status": st.sampled_from(["placed", "shipped", "returned"]),
        "deleted": st.booleans(),
        "deleted_at": instants,
        "status_history": st.lists(
            st.fixed_dictionaries(
                {"status": st.just("paid"), "created_at": instants}, optional={"note": text}
            ),
            max_size=2,
        ),
        "invitation": st.fixed_dictionaries(
            {},
            optional={
                "from": st.sampled_from(["order", "delivery"]),
                "state": st.sampled_from(["scheduled", "not_eligible"]),
                "send_at": instants,
                "reason": text,
            },
        ),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=orders, opt_out=st.one_of(st.none(), st.booleans()), hinted=st.booleans())
def test_any_order_is_shown_as_the_models_show_it(
    body: dict[str, Any], opt_out: bool | None, hinted: bool
) -> None:
    assert_shown_as_the_models_show(stored(Order.model_validate(body), opt_out, hinted=hinted))


def test_a_default_reviewable_is_resolved_by_the_items_name() -> None:
    document = dumps(
        {"customer": {"opt_out": False}, "items": [{"reviewable": None, "name": "N", "url": None}]}
    )
    assert json.loads(order_json(document, 3, False))["items"][0]["reviewable"] is True
    nameless = dumps(
        {
            "customer": {"opt_out": False},
            "items": [
                {"name": "", "url": None, "reviewable": None},
                {"name": "N", "url": None, "reviewable": None},
            ],
        }
    )
    assert [item["reviewable"] for item in json.loads(order_json(nameless, 3, False))["items"]] == [
        False,
        True,
    ]


def test_the_customers_opt_out_is_the_items_not_an_attributes() -> None:
    document = dumps(
        {"attributes": {"opt_out": False}, "customer": {"id": "C", "opt_out": False}, "items": []}
    )
    shown = json.loads(order_json(document, 7, True))
    assert (shown["attributes"], shown["customer"]["opt_out"], shown["version"]) == (
        {"opt_out": False},
        True,
        7,
    )


def test_a_page_and_an_envelope_wrap_the_orders_text() -> None:
    orders = [dumps({"id": "a"}), dumps({"id": "b"})]
    assert json.loads(page_json(orders, "/v1/orders?after=x", "x")) == {
        "data": [{"id": "a"}, {"id": "b"}],
        "links": {"next": "/v1/orders?after=x"},
        "next_cursor": "x",
    }
    assert json.loads(page_json([], None, None)) == {"data": [], "links": {"next": None}, "next_cursor": None}
    assert json.loads(envelope_json(orders[0])) == {"data": {"id": "a"}}


customer_items = st.fixed_dictionaries(
    {
        "customer_id": identifiers,
        "created_at": instants.map(format_instant),
        "updated_at": instants.map(format_instant),
    },
    optional=CUSTOMER_DETAILS,
).map(
    lambda fields: {
        name: {"BOOL": value} if isinstance(value, bool) else {"S": value} for name, value in fields.items()
    }
)


@settings(max_examples=200, deadline=None)
@given(item=customer_items, suppressed=st.sampled_from([None, "bounced", "complained"]))
def test_any_customer_is_shown_as_the_models_show_it(item: AttributeMap, suppressed: str | None) -> None:
    """As GET /v1/customers/{id} answered through the models: CustomerEnvelope of a CustomerProfile."""
    customer = _customer_record(item).customer
    profile = CustomerProfile.model_validate({**customer.model_dump(), "suppressed": suppressed})
    expected = CustomerEnvelope(data=profile).model_dump_json(by_alias=True)
    assert dumps({"data": {**customer_fields(item), "suppressed": suppressed}}) == expected
