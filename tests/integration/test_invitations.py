"""Review invitations over real HTTP: orders in, `/_local/schedule/run`, emails out in `/_local/outbox`.

The module runs its own local runtime: schedule runs act on every order in it, and
other modules fire the schedule at far-off times that would expire these orders.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest

from tests.integration.conftest import start_local_api

if TYPE_CHECKING:
    from tests.integration.conftest import ApiClient, LocalApi

TODAY = datetime.now(UTC).date()
SEND_AT = datetime.combine(TODAY + timedelta(days=1), time(10), UTC)
REMIND_AT = datetime.combine(TODAY + timedelta(days=3), time(10), UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalApi]:
    api = start_local_api()
    yield api
    assert api.stop() == 0, api.log()


@pytest.fixture
def client(runtime: LocalApi) -> ApiClient:
    return runtime.client(runtime.keys["demo"])


@pytest.fixture
def tag() -> str:
    """Unique per test, so each test finds its own orders and emails in the shared runtime."""
    return uuid.uuid4().hex[:10]


def new_order(client: ApiClient, order_id: str, customer: str, **fields: Any) -> dict[str, Any]:
    body = {
        "order": {
            "id": order_id,
            "customer": {"id": customer, "email": f"{customer}@example.com", "name": "Jane"},
            "items": [
                {
                    "id": "SKU-1",
                    "name": "Trail shoe",
                    "url": "https://shop.example/p/1",
                    "image_url": "https://shop.example/i/1.jpg",
                    "delivery_date": TODAY.isoformat(),
                }
            ],
            "invitation": {"delay": {"unit": "days", "amount": 1}, "reminder": {"unit": "days", "amount": 3}},
            **fields,
        }
    }
    reply = client.post("/v1/orders", body)
    assert reply.status == 201, reply
    data: dict[str, Any] = reply.body["data"]
    return data


def run(client: ApiClient, at: datetime) -> dict[str, Any]:
    reply = client.post("/_local/schedule/run", {"time": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert reply.status == 200, reply
    summary: dict[str, Any] = reply.body["data"]
    return summary


def mail_to(client: ApiClient, customer: str) -> list[dict[str, Any]]:
    reply = client.get("/_local/outbox")
    assert reply.status == 200, reply
    return [m for m in reply.body["data"] if f"{customer}@example.com" in m["to"]]


def invitation(client: ApiClient, order_id: str) -> dict[str, Any]:
    reply = client.get("/v1/orders/" + quote(order_id, safe=""))
    assert reply.status == 200, reply
    data: dict[str, Any] = reply.body["data"]["invitation"]
    return data


def test_invitation_then_reminder_each_exactly_once(client: ApiClient, tag: str) -> None:
    order_id, customer = f"O-{tag}", f"ann-{tag}"
    new_order(client, order_id, customer)
    run(client, SEND_AT - MINUTE)
    assert mail_to(client, customer) == []
    summary = run(client, SEND_AT)
    assert summary["sent"] >= 1
    [sent] = mail_to(client, customer)
    assert sent["subject"] == f"How do you like your order {order_id}?"
    assert "Trail shoe" in sent["text"]
    assert '<img src="https://shop.example/i/1.jpg"' in sent["html"]
    assert sent["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["headers"]["List-Unsubscribe"].startswith("<http")
    run(client, SEND_AT + MINUTE)
    assert len(mail_to(client, customer)) == 1
    run(client, REMIND_AT - MINUTE)
    assert len(mail_to(client, customer)) == 1
    run(client, REMIND_AT)
    emails = mail_to(client, customer)
    assert [m["subject"] for m in emails] == [
        f"How do you like your order {order_id}?",
        f"Reminder: how do you like your order {order_id}?",
    ]
    run(client, REMIND_AT + timedelta(days=1))
    assert len(mail_to(client, customer)) == 2
    assert invitation(client, order_id)["state"] == "reminded"


def test_overlapping_runs_send_each_email_once(client: ApiClient, tag: str) -> None:
    customers = [f"c{n}-{tag}" for n in range(3)]
    for n, customer in enumerate(customers):
        new_order(client, f"O{n}-{tag}", customer)
    summaries: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda: summaries.append(run(client, SEND_AT))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(summaries) == 3
    for customer in customers:
        assert len(mail_to(client, customer)) == 1, customer


def test_orders_that_may_not_be_invited_send_nothing_and_say_why(client: ApiClient, tag: str) -> None:
    cases = {
        name: (f"{name}-{tag}", f"{name}-{tag}") for name in ("optout", "canceled", "deleted", "nothing")
    }
    for order_id, customer in cases.values():
        new_order(client, order_id, customer)
    assert client.patch("/v1/customers/" + cases["optout"][1], {"opt_out": True}).status == 200
    status = client.put(f"/v1/orders/{cases['canceled'][0]}/status", {"status": "canceled"})
    assert status.status == 200, status
    assert client.delete(f"/v1/orders/{cases['deleted'][0]}").status == 200
    nothing_order, nothing_customer = cases["nothing"]
    unreviewable = {
        "id": nothing_order,
        "customer": {"id": nothing_customer},
        "items": [{"id": "SKU-1", "reviewable": False}],
    }
    assert client.post("/v1/orders", {"order": unreviewable}).status == 200
    run(client, SEND_AT)
    run(client, REMIND_AT)
    for order_id, customer in cases.values():
        assert mail_to(client, customer) == [], order_id
    expected = {
        "optout": ("canceled", "opted_out"),
        "canceled": ("canceled", "canceled"),
        "deleted": ("canceled", "deleted"),
        "nothing": ("not_eligible", "no_reviewable_items"),
    }
    for name, (state, reason) in expected.items():
        found = invitation(client, cases[name][0])
        assert (found["state"], found["reason"]) == (state, reason), name


def test_the_unsubscribe_link_in_an_email_stops_the_reminder(
    runtime: LocalApi, client: ApiClient, tag: str
) -> None:
    order_id, customer = f"O-{tag}", f"bob-{tag}"
    new_order(client, order_id, customer)
    run(client, SEND_AT)
    [sent] = mail_to(client, customer)
    link = sent["headers"]["List-Unsubscribe"].strip("<>")
    assert link in sent["text"]
    assert link in sent["html"]
    parts = urlsplit(link)
    page = runtime.client().get(f"{parts.path}?{parts.query}")
    assert page.status == 200, page
    assert "unsubscribed" in page.body
    customer_reply = client.get("/v1/customers/" + customer)
    assert customer_reply.body["data"]["opt_out"] is True
    run(client, REMIND_AT)
    assert len(mail_to(client, customer)) == 1
    found = invitation(client, order_id)
    assert (found["state"], found["reason"], found["sent_at"] is not None) == ("canceled", "opted_out", True)


def test_a_forged_unsubscribe_token_is_a_400(runtime: LocalApi) -> None:
    reply = runtime.client().get("/v1/unsubscribe?token=" + quote("eyJjIjoiZGVtbyJ9.forged"))
    assert reply.status == 400, reply
    assert reply.headers["Content-Type"].startswith("application/problem+json")


# --- languages, the shop's own templates, preview ----------------------------------------------

GERMAN = {
    "subject": "Ihre Meinung zu {{ order.id }}",
    "text": "Hallo {{ customer.name }},\n{% for item in items %}{{ item.name }}: {{ item.review_url }}\n{% endfor %}",
    "html": "<p>Hallo {{ customer.name }}</p>{% for item in items %}<p>{{ item.name }}</p>{% endfor %}",
}


def test_a_belgian_dutch_order_is_invited_in_dutch(client: ApiClient, tag: str) -> None:
    order_id, customer = f"NL-{tag}", f"nl-{tag}"
    assert new_order(client, order_id, customer, locale="nl_be")["locale"] == "nl-BE"
    run(client, SEND_AT)
    [sent] = mail_to(client, customer)
    assert sent["headers"]["Content-Language"] == "nl"
    assert sent["subject"] == f"Wat vind je van je bestelling {order_id}?"
    assert "Schrijf een review" in sent["text"]
    assert '<html lang="nl">' in sent["html"]


def test_a_shop_template_for_de_is_used_for_german_orders_only(
    runtime: LocalApi, client: ApiClient, tag: str
) -> None:
    assert client.put("/v1/templates/invitation/de", GERMAN).status == 200
    other = runtime.client(runtime.keys["other"])
    try:
        assert other.get("/v1/templates").body["data"] == []
        assert other.get("/v1/templates/invitation/de").body["data"]["built_in"] is True
        new_order(client, f"DE-{tag}", f"de-{tag}", locale="de-DE")
        new_order(client, f"FR-{tag}", f"fr-{tag}", locale="fr-FR")
        run(client, SEND_AT)
        [german] = mail_to(client, f"de-{tag}")
        [french] = mail_to(client, f"fr-{tag}")
        assert german["subject"] == f"Ihre Meinung zu DE-{tag}"
        assert german["headers"]["Content-Language"] == "de"
        assert french["subject"] == f"Que pensez-vous de votre commande FR-{tag}\u00a0?"
        assert french["headers"]["Content-Language"] == "fr"
    finally:
        assert client.delete("/v1/templates/invitation/de").status == 200


def test_the_preview_is_what_the_next_run_sends_and_sends_nothing_itself(client: ApiClient, tag: str) -> None:
    order_id, customer = f"PV-{tag}", f"pv-{tag}"
    new_order(client, order_id, customer, locale="es")
    reply = client.get(f"/v1/orders/{order_id}/emails/preview?kind=invitation")
    assert reply.status == 200, reply
    preview = reply.body["data"]
    assert mail_to(client, customer) == []
    assert invitation(client, order_id)["state"] == "scheduled"
    run(client, SEND_AT)
    [sent] = mail_to(client, customer)
    for part in ("from", "to", "subject", "text", "html"):
        assert preview[part] == sent[part], part
    assert preview["headers"].items() <= sent["headers"].items()
    assert preview["locale"] == "es"
