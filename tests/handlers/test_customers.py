"""GET/PATCH /v1/customers/{id} and the public GET/POST /v1/unsubscribe, through the real handlers."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from orders_api.adapters import signing
from orders_api.app import unsubscribe_links as unsubscribe

from testkit import OTHER_KEY, Api
from tests.handlers.conftest import order_path


def create_order(api: Api, order_id: str, customer: str = "C1") -> dict[str, Any]:
    reply = api.call(
        "POST",
        "/v1/orders",
        body={
            "order": {
                "id": order_id,
                "customer": {
                    "id": customer,
                    "email": "jane@example.com",
                    "name": "Jane",
                    "phone": "+31 6 1234",
                },
                "items": [{"id": "SKU-1", "name": "Shoe"}],
            }
        },
    )
    assert reply.status == 201, reply.text
    data: dict[str, Any] = reply.json["data"]
    return data


def customer_path(customer_id: str) -> str:
    return "/v1/customers/" + quote(customer_id, safe="")


def test_an_unknown_customer_is_404(api: Api) -> None:
    reply = api.call("GET", customer_path("nobody"))
    assert reply.status == 404
    assert reply.header("Content-Type") == "application/problem+json; charset=utf-8"
    assert reply.json["instance"] == "/v1/customers/nobody"


def test_a_customer_as_sent_with_their_orders(api: Api) -> None:
    create_order(api, "O1")
    reply = api.call("GET", customer_path("C1"))
    assert reply.status == 200
    data = reply.json["data"]
    assert {k: data[k] for k in ("id", "email", "name", "phone", "opt_out")} == {
        "id": "C1",
        "email": "jane@example.com",
        "name": "Jane",
        "phone": "+31 6 1234",
        "opt_out": False,
    }
    assert data["created_at"]
    assert data["updated_at"]


def test_customers_belong_to_their_client(api: Api) -> None:
    create_order(api, "O1")
    assert api.call("GET", customer_path("C1"), key=OTHER_KEY).status == 404


def test_patch_opts_out_and_copies_onto_every_order(api: Api) -> None:
    versions = {order_id: create_order(api, order_id)["version"] for order_id in ("O1", "O/2 #ü")}
    create_order(api, "O3", customer="C2")
    reply = api.call("PATCH", customer_path("C1"), body={"opt_out": True})
    assert reply.status == 200
    assert reply.json["data"]["opt_out"] is True
    assert api.call("GET", customer_path("C1")).json["data"]["opt_out"] is True
    for order_id, version in versions.items():
        order = api.call("GET", order_path(order_id)).json["data"]
        assert order["customer"]["opt_out"] is True
        assert order["version"] == version + 1
    assert api.call("GET", order_path("O3")).json["data"]["customer"]["opt_out"] is False
    back = api.call("PATCH", customer_path("C1"), body={"opt_out": False})
    assert back.json["data"]["opt_out"] is False
    assert api.call("GET", order_path("O1")).json["data"]["customer"]["opt_out"] is False


def test_patch_creates_an_unknown_customer_and_new_orders_inherit_the_opt_out(api: Api) -> None:
    reply = api.call("PATCH", customer_path("new/one"), body={"opt_out": True})
    assert reply.status == 200
    assert reply.json["data"]["id"] == "new/one"
    order = create_order(api, "O1", customer="new/one")
    assert order["customer"]["opt_out"] is True
    assert (order["invitation"]["state"], order["invitation"]["reason"]) == (None, None)


@pytest.mark.parametrize(
    "body", [{}, {"opt_out": "yes"}, {"opt_out": 1}, {"opt_out": True, "email": "x@example.com"}, None]
)
def test_patch_validates_its_body(api: Api, body: Any) -> None:
    reply = api.call("PATCH", customer_path("C1"), body=body)
    assert reply.status == 422, reply.text
    assert reply.header("Content-Type") == "application/problem+json; charset=utf-8"


def test_patch_refuses_malformed_json(api: Api) -> None:
    assert api.call("PATCH", customer_path("C1"), raw_body="{").status == 400


def test_customer_routes_need_a_key(api: Api) -> None:
    assert api.call("GET", customer_path("C1"), key="wrong").status == 401
    assert api.call("PATCH", customer_path("C1"), body={"opt_out": True}, key=None).status == 401


def test_other_methods_are_405(api: Api) -> None:
    reply = api.call("DELETE", customer_path("C1"))
    assert reply.status == 405
    assert reply.header("Allow") == "GET, PATCH"


# --- unsubscribe ------------------------------------------------------------------------------


def test_the_unsubscribe_link_opts_out_without_an_api_key(api: Api) -> None:
    create_order(api, "O1")
    reply = api.call("GET", "/v1/unsubscribe", query={"token": unsubscribe.token("demo", "C1")}, key=None)
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert "You are unsubscribed" in reply.text
    assert api.call("GET", customer_path("C1")).json["data"]["opt_out"] is True
    assert api.call("GET", order_path("O1")).json["data"]["customer"]["opt_out"] is True
    again = api.call("GET", "/v1/unsubscribe", query={"token": unsubscribe.token("demo", "C1")}, key=None)
    assert again.status == 200


def test_one_click_unsubscribe_posts_a_form(api: Api) -> None:
    create_order(api, "O1")
    reply = api.call(
        "POST",
        "/v1/unsubscribe",
        query={"token": unsubscribe.token("demo", "C1")},
        raw_body="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        key=None,
    )
    assert reply.status == 200, reply.text
    assert api.call("GET", customer_path("C1")).json["data"]["opt_out"] is True


def test_the_token_is_bound_to_its_client(api: Api) -> None:
    create_order(api, "O1")
    assert (
        api.call("GET", "/v1/unsubscribe", query={"token": unsubscribe.token("other", "C1")}, key=None).status
        == 200
    )
    assert api.call("GET", customer_path("C1")).json["data"]["opt_out"] is False
    assert api.call("GET", customer_path("C1"), key=OTHER_KEY).json["data"]["opt_out"] is True


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "not-a-token",
        signing.sign("cursor", {"c": "demo", "u": "C1"}),
        unsubscribe.token("demo", "C1")[:-3] + "abc",
        "é" * 10_000,
    ],
    ids=["missing", "empty", "garbage", "other-purpose", "forged", "huge"],
)
def test_a_missing_or_forged_token_is_a_400(api: Api, token: str | None) -> None:
    create_order(api, "O1")
    query = {"token": token} if token is not None else None
    reply = api.call("GET", "/v1/unsubscribe", query=query, key=None)
    assert reply.status == 400, reply.text
    assert reply.header("Content-Type") == "application/problem+json; charset=utf-8"
    assert api.call("GET", customer_path("C1")).json["data"]["opt_out"] is False
