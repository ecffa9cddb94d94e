"""Logs are JSON and never hold an email address, a phone number or an API key."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from orders_api.app import client_admin
from orders_api.log import logger
from orders_api.store.registry import Registry

from testkit import DEMO_KEY, TEMPLATE, Api, handler_module
from testkit.functions import FUNCTIONS
from testkit.privacy import EMAIL as SEEDED_EMAIL
from testkit.privacy import customer_with_orders
from tests.handlers.test_deliverability import RunningOut, feedback, run

EMAIL = "jane.secret@example.com"
PHONE = "+31 6 1234 5678"
NAME = "Jane Secretname"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything the Lambda logger writes, at DEBUG level, as it would reach CloudWatch."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    level, buffer = logger.log_level, io.StringIO()
    previous = handler.setStream(buffer)
    logger.setLevel("DEBUG")
    yield buffer
    logger.setLevel(level)
    handler.setStream(previous)


def test_a_full_request_cycle_logs_no_personal_data(api: Api, log_lines: io.StringIO) -> None:
    customer = {"id": "C1", "email": EMAIL, "phone": PHONE, "name": "Jane"}
    api.call("POST", "/v1/orders", body={"order": {"id": "O1", "customer": customer}})
    api.call("GET", "/v1/orders/O1")
    api.call(
        "POST", "/v1/orders", body={"order": {"id": "O2", "customer": {"id": "C", "email": f"bad {EMAIL}"}}}
    )
    logger.exception("failure mentioning %s and %s with Bearer %s", EMAIL, PHONE, DEMO_KEY)
    output = log_lines.getvalue()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(lines) >= 4
    assert all("request_id" in line for line in lines[:3])
    for secret in (EMAIL, PHONE, DEMO_KEY, "jane.secret"):
        assert secret not in output


def test_the_redaction_is_what_removes_an_email(log_lines: io.StringIO) -> None:
    logger.info("customer", extra={"customer_email": EMAIL})
    line = json.loads(log_lines.getvalue().strip().splitlines()[-1])
    assert line["customer_email"] == "[email]"


@pytest.mark.usefixtures("sender")
def test_feedback_suppression_cap_and_erasure_log_no_personal_data(api: Api, log_lines: io.StringIO) -> None:
    client_admin.update_settings(Registry(), "demo", {"invitation_cap": {"count": 1, "days": 30}})
    now = {"delay": {"unit": "minutes", "amount": 0}, "from": "order"}
    for order_id, customer_id in (("O1", "C1"), ("O2", "C2"), ("O3", "C3")):
        customer = {"id": customer_id, "email": EMAIL, "phone": PHONE, "name": NAME}
        order = {"id": order_id, "customer": customer, "items": [{"id": "I1", "name": "Shoe"}]}
        assert api.call("POST", "/v1/orders", body={"order": {**order, "invitation": now}}).status == 201
    put = api.call("PUT", "/v1/orders/O3/status", body={"status": "shipped", "notify_customer": True})
    assert put.status == 200
    assert run()["sent"] == 1  # the cap stops the second invitation to the address
    assert feedback(EMAIL.upper(), "complained")["suppressed"] == 1
    assert api.call("PATCH", "/v1/customers/C1", body={"suppressed": None}).status == 200
    assert api.call("POST", "/v1/customers/C1/erase").status == 200
    assert api.call("POST", "/v1/erasures", body={"emails": [EMAIL]}).status == 200
    output = log_lines.getvalue()
    for event in ("address suppressed", "customer erased", "erasure by email", "email not sent"):
        assert event in output
    for secret in (EMAIL, EMAIL.upper(), PHONE, NAME, "jane.secret"):
        assert secret not in output


@pytest.mark.usefixtures("sender")
def test_an_erasure_that_fails_or_stops_for_time_logs_no_personal_data(
    api: Api, log_lines: io.StringIO
) -> None:
    customer_with_orders(api, "C7", 30)
    FUNCTIONS.faults.arm(3)
    try:
        assert api.call("POST", "/v1/customers/C7/erase").status == 500
    finally:
        FUNCTIONS.faults.disarm()
    event = json.loads((TEMPLATE.path.parent / "events" / "erase_customer.json").read_text(encoding="utf-8"))
    stopped = handler_module("EraseCustomerFunction").lambda_handler(event, RunningOut(looks=10))
    assert stopped["statusCode"] == 503
    output = log_lines.getvalue()
    for event_name in ("unhandled error", "InternalServerError", "erasure stopped for time"):
        assert event_name in output
    for secret in (SEEDED_EMAIL, "Jane Doe", "1234 5678", "jane@"):
        assert secret not in output
