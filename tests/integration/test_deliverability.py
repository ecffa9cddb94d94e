"""Deliverability and privacy over real HTTP, against the session's local runtime: SES's mailbox
simulator, the frequency cap, reviewed items, erasure read back from the table (also one failing
half-way, forced through /_local/faults), and a status email queued right before a mailer run.

Every test names its own customers and addresses, so the orders other tests leave in the runtime
never match; schedule runs act on every due order, which other tests already expect.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import boto3
import pytest

from tests.integration.conftest import ApiClient, LocalApi, admin

BOUNCE = "bounce@simulator.amazonses.com"
COMPLAINT = "complaint@simulator.amazonses.com"
FEEDBACK_WAIT = 15.0


@pytest.fixture
def demo(local_api: LocalApi) -> ApiClient:
    return local_api.client(local_api.keys["demo"])


@pytest.fixture
def other(local_api: LocalApi) -> ApiClient:
    return local_api.client(local_api.keys["other"])


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:10]


def place(
    client: ApiClient,
    order_id: str,
    customer: dict[str, Any],
    *,
    items: list[dict[str, Any]] | None = None,
    reminder: dict[str, Any] | None = None,
) -> None:
    """An order whose invitation is due at once (counted from the order)."""
    order = {
        "id": order_id,
        "customer": customer,
        "items": items or [{"id": "SKU-1", "name": "Trail shoe"}],
        "invitation": {"delay": {"unit": "minutes", "amount": 0}, "reminder": reminder, "from": "order"},
    }
    reply = client.post("/v1/orders", {"order": order})
    assert reply.status in (200, 201), reply


def run(local_api: LocalApi, at: datetime | None = None) -> dict[str, Any]:
    """The mailer now (no body: the runtime's own clock), or at a given moment."""
    body = None if at is None else {"time": at.isoformat()}
    reply = local_api.client().post("/_local/schedule/run", body)
    assert reply.status == 200, reply
    summary: dict[str, Any] = reply.body["data"]
    return summary


def mail_to(local_api: LocalApi, address: str) -> list[dict[str, Any]]:
    emails = local_api.client().get("/_local/outbox").body["data"]
    return [m for m in emails if any(address.lower() in to.lower() for to in m["to"])]


def invitation(client: ApiClient, order_id: str) -> tuple[str, str | None]:
    reply = client.get("/v1/orders/" + quote(order_id, safe=""))
    assert reply.status == 200, reply
    found = reply.body["data"]["invitation"]
    return found["state"], found["reason"]


def eventually(check: Callable[[], bool], timeout: float = FEEDBACK_WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time SES's feedback takes"
        time.sleep(0.25)


def stored_items(local_api: LocalApi) -> list[dict[str, Any]]:
    """Every item of the runtime's table, read back with boto3 (a test may scan; the code never does)."""
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=local_api.aws_endpoint,
        region_name=local_api.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    items: list[dict[str, Any]] = []
    for page in dynamodb.get_paginator("scan").paginate(TableName="OrdersTable"):
        items.extend(page["Items"])
    return items


@pytest.mark.parametrize(("address", "reason"), [(BOUNCE, "bounced"), (COMPLAINT, "complained")])
def test_the_mailbox_simulator_suppresses_the_address(
    local_api: LocalApi, demo: ApiClient, tag: str, address: str, reason: str
) -> None:
    customer = f"C-{tag}"
    place(demo, f"O1-{tag}", {"id": customer, "email": address})
    run(local_api)
    assert len(mail_to(local_api, address)) == 1
    eventually(lambda: demo.get(f"/v1/customers/{customer}").body["data"]["suppressed"] == reason)

    place(demo, f"O2-{tag}", {"id": customer, "email": address.upper()})
    shipped = demo.put(f"/v1/orders/O2-{tag}/status", {"status": "shipped", "notify_customer": True})
    assert shipped.status == 200, shipped
    run(local_api)
    assert len(mail_to(local_api, address)) == 1
    assert invitation(demo, f"O2-{tag}") == ("canceled", reason)


def test_the_cap_holds_across_three_orders_of_one_address(
    local_api: LocalApi, other: ApiClient, tag: str
) -> None:
    address = f"capped-{tag}@example.com"
    assert admin(local_api, "set-settings", "other", "--invitation-cap", "1:30").returncode == 0
    try:
        for n in range(3):
            place(other, f"O{n}-{tag}", {"id": f"C{n}-{tag}", "email": address})
        run(local_api)
        run(local_api)
        assert len(mail_to(local_api, address)) == 1
        outcomes = sorted(str(invitation(other, f"O{n}-{tag}")) for n in range(3))
        assert outcomes == [str(("not_eligible", "capped"))] * 2 + [str(("sent", None))]
    finally:
        assert admin(local_api, "set-settings", "other", "--invitation-cap", "none").returncode == 0


def test_reviewed_items_leave_the_reminder(local_api: LocalApi, demo: ApiClient, tag: str) -> None:
    day = {"unit": "hours", "amount": 24}
    two = [{"id": "SKU-1", "name": "Trail shoe"}, {"id": "SKU-2", "name": "Rain jacket"}]
    place(demo, f"A-{tag}", {"id": f"A-{tag}", "email": f"a-{tag}@example.com"}, items=two, reminder=day)
    place(demo, f"B-{tag}", {"id": f"B-{tag}", "email": f"b-{tag}@example.com"}, reminder=day)
    run(local_api)
    for name in ("A", "B"):
        reviewed = {
            "id": f"{name}-{tag}",
            "customer": {"id": f"{name}-{tag}"},
            "items": [{"id": "SKU-1", "reviewed": True}],
        }
        assert demo.post("/v1/orders", {"order": reviewed}).status == 200
    run(local_api, datetime.now(UTC) + timedelta(hours=25))
    first, reminder = mail_to(local_api, f"a-{tag}@example.com")
    assert "Trail shoe" in first["text"]
    assert "Rain jacket" in reminder["text"]
    assert "Trail shoe" not in reminder["text"]
    assert len(mail_to(local_api, f"b-{tag}@example.com")) == 1
    assert invitation(demo, f"B-{tag}") == ("canceled", "reviewed")


def person(tag: str, email: str | None = None) -> dict[str, str]:
    return {
        "id": f"C-{tag}",
        "email": email or f"erin-{tag}@example.com",
        "name": f"Erin {tag}",
        "phone": f"+31 {tag}",
    }


def traces(tag: str) -> tuple[str, ...]:
    """What must be gone: the address (any case), the name and the phone."""
    return (f"erin-{tag}", f"Erin {tag}", f"+31 {tag}")


def assert_erased(local_api: LocalApi, demo: ApiClient, tag: str, order_ids: list[str]) -> None:
    """No trace in what the API shows nor in the table, except under the other client's keys."""
    customer = demo.get(f"/v1/customers/C-{tag}").body["data"]
    assert customer["erased"] is True
    shown = [customer, *(demo.get(f"/v1/orders/{o}").body["data"] for o in order_ids)]
    assert all(o["customer"]["erased"] for o in shown[1:])
    shown.append(demo.get(f"/v1/orders?customer_id=C-{tag}").body["data"])
    assert demo.get(f"/v1/orders?customer_email=erin-{tag}@example.com").body["data"] == []
    text = json.dumps(shown).lower()
    left = [
        item
        for item in stored_items(local_api)
        if any(t.lower() in json.dumps(item).lower() for t in traces(tag))
    ]
    for secret in traces(tag):
        assert secret.lower() not in text
    assert left  # the other client's order keeps its data
    assert all(item["pk"]["S"].startswith("C#other#") for item in left)


def test_erasure_by_id_leaves_no_trace_and_touches_no_other_client(
    local_api: LocalApi, demo: ApiClient, other: ApiClient, tag: str
) -> None:
    for order_id in (f"O1-{tag}", f"O2-{tag}"):
        place(demo, order_id, person(tag))
    place(other, f"O1-{tag}", person(tag))
    place(demo, f"K-{tag}", {"id": f"K-{tag}", "email": f"keep-{tag}@example.com", "name": "Kay"})
    queued = demo.put(f"/v1/orders/O2-{tag}/status", {"status": "shipped", "notify_customer": True})
    assert queued.status == 200, queued

    erased = demo.post(f"/v1/customers/C-{tag}/erase")
    assert (erased.status, erased.body) == (200, {"data": {"customer_id": f"C-{tag}", "orders": 2}})
    assert_erased(local_api, demo, tag, [f"O1-{tag}", f"O2-{tag}"])
    assert invitation(demo, f"O1-{tag}") == ("canceled", "erased")
    assert other.get(f"/v1/orders/O1-{tag}").body["data"]["customer"]["email"] == f"erin-{tag}@example.com"
    assert demo.get(f"/v1/orders/K-{tag}").body["data"]["customer"]["name"] == "Kay"
    run(local_api)
    assert all(m["to"] == [f"erin-{tag}@example.com"] for m in mail_to(local_api, f"erin-{tag}@"))
    assert len(mail_to(local_api, f"erin-{tag}@")) == 1  # the other client's invitation, nothing of demo's

    again = demo.post(f"/v1/customers/C-{tag}/erase")
    assert (again.status, again.body["data"]["orders"]) == (200, 0)


def test_an_erasure_failing_half_way_is_finished_by_the_retry(
    local_api: LocalApi, demo: ApiClient, other: ApiClient, tag: str
) -> None:
    order_ids = [f"O{n}-{tag}" for n in range(1, 5)]
    for order_id in order_ids:
        place(demo, order_id, person(tag))
    place(other, f"O1-{tag}", person(tag))
    # Its 1st write erases the customer record, the next four one order each: the 3rd fails.
    armed = local_api.client().post("/_local/faults", {"fail_write": 3})
    assert (armed.status, armed.body) == (200, {"data": {"fail_write": 3}})

    failed = demo.post(f"/v1/customers/C-{tag}/erase")
    assert failed.status == 500, failed
    assert failed.headers["Content-Type"].startswith("application/problem+json")
    assert (failed.body["status"], failed.body["instance"]) == (500, f"/v1/customers/C-{tag}/erase")
    assert local_api.client().get("/_local/faults").body == {"data": {"fail_write": None}}
    holding = [
        item["pk"]["S"]
        for item in stored_items(local_api)
        if item["pk"]["S"].startswith("C#demo#") and any(t in json.dumps(item) for t in traces(tag))
    ]
    assert len(holding) == 1  # three orders and the customer record are erased, one order is not
    assert holding[0] in [f"C#demo#O#{o}" for o in order_ids]

    retried = demo.post(f"/v1/customers/C-{tag}/erase")
    assert (retried.status, retried.body) == (200, {"data": {"customer_id": f"C-{tag}", "orders": 1}})
    assert_erased(local_api, demo, tag, order_ids)
    again = demo.post(f"/v1/customers/C-{tag}/erase")
    assert (again.status, again.body["data"]["orders"]) == (200, 0)


def test_faults_are_armed_with_a_write_number_and_can_be_disarmed(local_api: LocalApi) -> None:
    client = local_api.client()
    for bad in ({}, {"fail_write": 0}, {"fail_write": "2"}, {"fail_write": True}, "[1]"):
        refused = client.post("/_local/faults", bad)
        assert refused.status == 400, (bad, refused)
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert client.put("/_local/faults", {"fail_write": 1}).status == 405
    assert client.post("/_local/faults", {"fail_write": 2}).body == {"data": {"fail_write": 2}}
    assert client.delete("/_local/faults").body == {"data": {"fail_write": None}}
    assert client.get("/_local/faults").body == {"data": {"fail_write": None}}


def test_erasure_by_email_finds_every_customer_and_is_idempotent(
    local_api: LocalApi, demo: ApiClient, other: ApiClient, tag: str
) -> None:
    email = f"erin-{tag}@example.com"
    place(demo, f"O1-{tag}", person(tag))
    place(demo, f"O2-{tag}", {**person(tag, email.upper()), "id": f"D-{tag}"})
    place(other, f"O1-{tag}", person(tag))
    erased = demo.post("/v1/erasures", {"emails": [email.upper()]})
    assert (erased.status, erased.body) == (200, {"data": {"customers": 2, "orders": 2}})
    assert_erased(local_api, demo, tag, [f"O1-{tag}", f"O2-{tag}"])
    assert demo.get(f"/v1/customers/D-{tag}").body["data"]["erased"] is True
    again = demo.post("/v1/erasures", {"emails": [email]})
    assert (again.status, again.body) == (200, {"data": {"customers": 0, "orders": 0}})


def test_a_status_email_queued_just_before_a_run_goes_out_with_it(
    local_api: LocalApi, demo: ApiClient, tag: str
) -> None:
    address = f"status-{tag}@example.com"
    place(demo, f"S-{tag}", {"id": f"S-{tag}", "email": address})
    run(local_api)
    shipped = demo.put(f"/v1/orders/S-{tag}/status", {"status": "shipped", "notify_customer": True})
    assert shipped.status == 200, shipped
    run(local_api)
    assert [m["subject"] for m in mail_to(local_api, address)][-1] == f"Your order S-{tag} is now shipped"
