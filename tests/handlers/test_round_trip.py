"""An order read with GET and posted back as it is changes nothing: not the version, not a timestamp,
through POST /v1/orders in every updating mode and through the batch route."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit import Api
from tests.handlers.conftest import order_path

_ids = itertools.count()
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)
money = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
attributes = st.dictionaries(text, st.one_of(st.booleans(), st.integers(-1000, 1000), text), max_size=3)
items = st.lists(
    st.fixed_dictionaries(
        {"id": text},
        optional={
            "name": st.one_of(st.none(), text),
            "price": money.map(float),
            "quantity": st.integers(1, 5),
            "reviewable": st.booleans(),
            "delivery_date": st.dates().map(str).filter(lambda d: "1000" <= d <= "8999"),
            "properties": attributes,
        },
    ),
    max_size=4,
    unique_by=lambda item: item["id"],
)
orders = st.fixed_dictionaries(
    {
        "customer": st.fixed_dictionaries(
            {"id": text}, optional={"name": text, "email": st.just("ann@example.com")}
        )
    },
    optional={
        "items": items,
        "note": text,
        "currency": st.sampled_from(["EUR", "usd"]),
        "total_value": money.map(str),
        "attributes": attributes,
        "time_zone": st.sampled_from(["Europe/Amsterdam", "UTC"]),
        "placed_at": st.sampled_from(["2026-03-27T10:00:00Z", "2026-03-27T12:00:00.123456+02:00"]),
        "invitation": st.fixed_dictionaries(
            {},
            optional={
                "delay": st.just({"unit": "days", "amount": 3}),
                "from": st.sampled_from(["order", "delivery"]),
            },
        ),
    },
)
# A status move and a second write leave the order with history, several versions and items of two ages.
afterwards = st.fixed_dictionaries(
    {"status": st.sampled_from([None, "paid", "delivered", "canceled"]), "more_items": items}
)


def posted_back(api: Api, data: dict[str, Any], mode: str) -> list[dict[str, Any]]:
    """The order posted back as read, alone in each mode and in a batch: what each answered."""
    answers = []
    for each in ("merge", mode):
        reply = api.call("POST", "/v1/orders", body={"order": data}, query={"mode": each})
        assert reply.status == 200, reply.text
        answers.append(reply.json["data"])
    batch = api.call("POST", "/v1/orders/batch", body={"mode": mode, "orders": [data]})
    assert batch.status == 200, batch.text
    result = batch.json["data"][0]
    assert result["status"] == 200, result
    answers.append(result["order"])
    return answers


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=orders, later=afterwards)
def test_an_order_posted_back_as_read_changes_nothing(
    api: Api, order: dict[str, Any], later: dict[str, Any]
) -> None:
    order_id = f"round-trip-{next(_ids)}"
    assert api.call("POST", "/v1/orders", body={"order": {"id": order_id, **order}}).status == 201
    extra = [
        item for item in later["more_items"] if item["id"] not in {i["id"] for i in order.get("items", [])}
    ]
    if extra:
        merged = {"id": order_id, "customer": {"id": order["customer"]["id"]}, "items": extra}
        assert api.call("POST", "/v1/orders", body={"order": merged}).status == 200
    if later["status"]:
        assert (
            api.call("PUT", order_path(order_id) + "/status", body={"status": later["status"]}).status == 200
        )

    read = api.call("GET", order_path(order_id))
    for answer in posted_back(api, read.json["data"], "replace"):
        assert answer == read.json["data"]
    again = api.call("GET", order_path(order_id))
    assert again.json == read.json
    assert again.header("ETag") == read.header("ETag")


def test_a_merge_of_items_leaves_the_customer_alone(api: Api) -> None:
    customer = {"id": "C1", "email": "ann@example.com", "name": "Ann"}
    created = api.call("POST", "/v1/orders", body={"order": {"id": "O1", "customer": customer}}).json["data"]
    merged = api.call(
        "POST", "/v1/orders", body={"order": {"id": "O1", "customer": {"id": "C1"}, "items": [{"id": "A"}]}}
    ).json["data"]
    assert merged["version"] == 2
    assert merged["customer"] == created["customer"]
    renamed = api.call(
        "POST", "/v1/orders", body={"order": {"id": "O1", "customer": {**customer, "name": "Ann B."}}}
    ).json["data"]
    assert renamed["customer"]["updated_at"] > created["customer"]["updated_at"]
    assert api.call("GET", "/v1/customers/C1").json["data"]["updated_at"] == renamed["customer"]["updated_at"]


def test_an_item_posted_back_deleted_stays_deleted(api: Api) -> None:
    two = [{"id": "A", "name": "Shoe"}, {"id": "B", "name": "Hat"}]
    api.call("POST", "/v1/orders", body={"order": {"id": "O1", "customer": {"id": "C1"}, "items": two}})
    replaced = {"id": "O1", "customer": {"id": "C1"}, "items": two[:1]}
    read = api.call("POST", "/v1/orders", body={"order": replaced}, query={"mode": "replace"}).json["data"]
    assert [item["deleted"] for item in read["items"]] == [False, True]
    assert api.call("POST", "/v1/orders", body={"order": read}).json["data"] == read
    back = api.call("POST", "/v1/orders", body={"order": {**replaced, "items": [{"id": "B"}]}}).json["data"]
    assert [item["deleted"] for item in back["items"]] == [False, False]
