"""The read functions answer from the stored documents what the models would: every fixture order
through GET and list pages, and its customer, after opt-outs, erasure and a suppression."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from orders_api.app.customers import Customers
from orders_api.domain.customer_models import CustomerEnvelope, CustomerProfile
from orders_api.domain.models import Order
from orders_api.store.deliverability import Deliverability
from orders_api.store.orders import OrderRecord, Repository

from testkit import Api
from tests.handlers.conftest import order_path
from tests.unit.test_public import fixtures

CUSTOMER = "C-fixtures"
T0 = datetime(2026, 2, 1, tzinfo=UTC)


def stored_fixtures(repository: Repository) -> list[str]:
    """Every fixture as one customer's order, each created a second after the last."""
    ids = []
    for number, (name, fixture) in enumerate(sorted(fixtures().items())):
        created = T0 + timedelta(seconds=number)
        address = {} if fixture.customer.erased else {"email": "ann@example.com"}
        customer = fixture.customer.model_copy(update={"id": CUSTOMER, **address})
        order = fixture.model_copy(
            update={"id": f"{number} {name}", "customer": customer, "created_at": created, "version": 1}
        )
        repository.save_order(
            "demo", OrderRecord(order), expected_version=None, due_at=None, customer_opt_out_seen=False
        )
        ids.append(order.id)
    return ids


def as_the_models_show(repository: Repository, order_id: str) -> dict[str, Any]:
    record = repository.get_order("demo", order_id)
    assert record is not None
    return record.order.public()


def listed(api: Api, query: dict[str, str]) -> list[dict[str, Any]]:
    reply = api.call("GET", "/v1/orders", query=query)
    found: list[dict[str, Any]] = []
    while True:
        assert reply.status == 200, reply.text
        found += reply.json["data"]
        if reply.json["links"]["next"] is None:
            return found
        reply = api.call(
            "GET", "/v1/orders", query=dict(parse_qsl(urlsplit(reply.json["links"]["next"]).query))
        )


def test_get_and_list_answer_every_fixture_as_the_models_show_it(api: Api, repository: Repository) -> None:
    ids = stored_fixtures(repository)
    Customers(repository).set_opt_out("demo", CUSTOMER, True)
    for order_id in ids:
        reply = api.call("GET", order_path(order_id))
        assert reply.status == 200, reply.text
        expected = as_the_models_show(repository, order_id)
        assert reply.json == {"data": expected}
        assert reply.header("ETag") == f'"{expected["version"]}"'
        assert expected["customer"]["opt_out"] is True
    pages = listed(
        api, {"limit": "2", "include_deleted": "true", "customer_id": CUSTOMER, "sort": "created_at"}
    )
    assert pages == [as_the_models_show(repository, order_id) for order_id in ids]


def test_get_of_a_customer_answers_as_the_models_show_it(api: Api, repository: Repository) -> None:
    stored_fixtures(repository)
    Customers(repository).set_opt_out("demo", CUSTOMER, True)
    Deliverability().suppress("demo", "ann@example.com", "complained", T0)
    record = repository.get_customer("demo", CUSTOMER)
    assert record is not None
    profile = CustomerProfile.model_validate({**record.customer.model_dump(), "suppressed": "complained"})
    reply = api.call("GET", "/v1/customers/" + CUSTOMER)
    assert reply.status == 200, reply.text
    assert reply.text == CustomerEnvelope(data=profile).model_dump_json(by_alias=True)
    assert reply.json["data"]["opt_out"] is True


def test_an_erased_customer_is_shown_without_personal_data(api: Api, repository: Repository) -> None:
    stored_fixtures(repository)
    assert api.call("POST", f"/v1/customers/{CUSTOMER}/erase").status == 200
    customer = api.call("GET", "/v1/customers/" + CUSTOMER).json["data"]
    assert (customer["erased"], customer["email"], customer["name"], customer["phone"]) == (
        True,
        None,
        None,
        None,
    )
    for order in listed(api, {"customer_id": CUSTOMER, "include_deleted": "true"}):
        assert order == as_the_models_show(repository, order["id"])
        assert order["customer"]["erased"] is True
        assert Order.model_validate(order).customer.email is None
