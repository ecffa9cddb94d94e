"""Suppression, the frequency cap, reviewed items, erasure and retention, in-process through the gateway."""

from __future__ import annotations

import copy
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from orders_api.adapters import aws
from orders_api.app import client_admin
from orders_api.app.orders import Orders
from orders_api.app.privacy import PARALLEL_WRITES, STOP_MARGIN_MS, Erasure
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import Unfinished
from orders_api.store.orders import Repository
from orders_api.store.registry import Registry

from testkit import OTHER_KEY, TEMPLATE, Api, Context, DynamoCalls, handler_module
from testkit.privacy import EMAIL, customer_with_orders

ROOT = TEMPLATE.path.parent
pytestmark = pytest.mark.usefixtures("sender")
TODAY = date.today()


def order(order_id: str, email: str = "Jane@Example.com", customer: str = "C1") -> dict[str, Any]:
    return {
        "order": {
            "id": order_id,
            "customer": {"id": customer, "email": email, "name": "Jane Doe", "phone": "+31 6 1234 5678"},
            "items": [{"id": "SKU-1", "name": "Trail shoe", "delivery_date": TODAY.isoformat()}],
            "invitation": {
                "delay": {"unit": "minutes", "amount": 0},
                "reminder": {"unit": "days", "amount": 2},
            },
        }
    }


def run(days: int = 1) -> dict[str, Any]:
    moment = datetime.now(UTC) + timedelta(days=days)
    result: dict[str, Any] = handler_module("MailerFunction").lambda_handler(
        {"time": moment.isoformat()}, Context(300_000)
    )
    return result


SAMPLES = {"bounced": "feedback.json", "complained": "feedback-complaint.json"}


def sample(reason: str, email: str) -> dict[str, Any]:
    """SES's event from events/, as published for the demo client, naming `email`."""
    event: dict[str, Any] = json.loads((ROOT / "events" / SAMPLES[reason]).read_text(encoding="utf-8"))
    recipients = (
        event["detail"].get("bounce", {}).get("bouncedRecipients")
        or event["detail"]["complaint"]["complainedRecipients"]
    )
    recipients[0]["emailAddress"] = email
    return event


def feedback(email: str, reason: str = "bounced") -> dict[str, Any]:
    result: dict[str, Any] = handler_module("FeedbackFunction").lambda_handler(
        sample(reason, email), Context(60_000)
    )
    return result


def test_a_bounce_suppresses_the_address_case_insensitively_until_lifted(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    assert api.call("POST", "/v1/orders", body=order("O2", customer="C2")).status == 201
    feedback("jane@example.COM")
    assert api.call("GET", "/v1/customers/C1").json["data"]["suppressed"] == "bounced"
    for order_id in ("O1", "O2"):
        invitation = api.call("GET", f"/v1/orders/{order_id}").json["data"]["invitation"]
        assert (invitation["state"], invitation["reason"]) == ("canceled", "bounced")
    assert api.call("POST", "/v1/orders", body=order("O3")).status == 201
    assert run()["sent"] == 0
    assert api.call("GET", "/v1/orders/O3").json["data"]["invitation"]["reason"] == "bounced"
    lifted = api.call("PATCH", "/v1/customers/C1", body={"suppressed": None})
    assert lifted.status == 200
    assert lifted.json["data"]["suppressed"] is None


@pytest.mark.parametrize("reason", sorted(SAMPLES))
def test_ses_sample_events_suppress_for_the_tagged_client_only(api: Api, reason: str) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    assert api.call("POST", "/v1/orders", body=order("O1"), key=OTHER_KEY).status == 201
    assert feedback("JANE@example.com", reason) == {"suppressed": 1, "reason": reason}
    assert api.call("GET", "/v1/customers/C1").json["data"]["suppressed"] == reason
    assert api.call("GET", "/v1/orders/O1").json["data"]["invitation"]["reason"] == reason
    assert api.call("GET", "/v1/customers/C1", key=OTHER_KEY).json["data"]["suppressed"] is None


def test_an_event_without_a_known_client_changes_nothing(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    event = sample("complained", "jane@example.com")
    event["detail"]["mail"].update(tags={}, headers=[])
    assert handler_module("FeedbackFunction").lambda_handler(event, Context(60_000)) == {"suppressed": 0}
    assert api.call("GET", "/v1/customers/C1").json["data"]["suppressed"] is None


def test_a_transient_bounce_changes_nothing(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    event = sample("bounced", "jane@example.com")
    event["detail"]["bounce"]["bounceType"] = "Transient"
    assert handler_module("FeedbackFunction").lambda_handler(event, Context(60_000)) == {"suppressed": 0}
    assert api.call("GET", "/v1/customers/C1").json["data"]["suppressed"] is None


def test_the_cap_counts_invitations_really_sent(api: Api) -> None:
    client_admin.update_settings(Registry(), "demo", {"invitation_cap": {"count": 1, "days": 30}})
    for order_id in ("O1", "O2", "O3"):
        assert api.call("POST", "/v1/orders", body=order(order_id)).status == 201
    assert run()["sent"] == 1
    reasons = sorted(
        str(api.call("GET", f"/v1/orders/{o}").json["data"]["invitation"]["reason"])
        for o in ("O1", "O2", "O3")
    )
    assert reasons == ["None", "capped", "capped"]


def test_reviewed_items_leave_the_reminder_and_all_reviewed_ends_it(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    assert run()["sent"] == 1
    reviewed = {"order": {"id": "O1", "customer": {"id": "C1"}, "items": [{"id": "SKU-1", "reviewed": True}]}}
    assert api.call("POST", "/v1/orders", body=reviewed).status == 200
    assert run(days=3)["reminded"] == 0
    invitation = api.call("GET", "/v1/orders/O1").json["data"]["invitation"]
    assert (invitation["state"], invitation["reason"]) == ("canceled", "reviewed")


def test_erasure_removes_personal_data_everywhere_and_is_idempotent(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    assert api.call("POST", "/v1/orders", body=order("O2")).status == 201
    assert (
        api.call("PUT", "/v1/orders/O2/status", body={"status": "paid", "notify_customer": True}).status
        == 200
    )
    first = api.call("POST", "/v1/customers/C1/erase")
    assert first.json == {"data": {"customer_id": "C1", "orders": 2}}
    assert api.call("POST", "/v1/customers/C1/erase").json["data"]["orders"] == 0
    assert api.call("POST", "/v1/customers/nobody/erase").status == 404
    shown = api.call("GET", "/v1/orders").text + api.call("GET", "/v1/customers/C1").text
    for secret in ("jane@example.com", "Jane Doe", "1234"):
        assert secret.lower() not in shown.lower()
    assert api.call("GET", "/v1/orders", query={"customer_email": "jane@example.com"}).json["data"] == []
    assert api.call("GET", "/v1/orders/O1").json["data"]["invitation"]["reason"] == "erased"
    items = boto3.client("dynamodb").scan(TableName="OrdersTable")["Items"]  # the test reads everything back
    stored = json.dumps(items).lower()
    assert "jane@example.com" not in stored
    assert "jane doe" not in stored
    assert run()["sent"] + run()["status_sent"] == 0


def test_a_failed_erasure_is_finished_by_the_retry(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    for order_id in ("O1", "O2", "O3"):
        assert api.call("POST", "/v1/orders", body=order(order_id)).status == 201
    real = Orders.change
    calls = 0

    def failing_once(self: Orders, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("crash half-way")
        return real(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Orders, "change", failing_once)
        assert api.call("POST", "/v1/erasures", body={"emails": ["JANE@example.com"]}).status == 500
    retried = api.call("POST", "/v1/erasures", body={"emails": ["jane@example.com"]}).json["data"]
    assert retried["customers"] == 1
    assert 1 <= retried["orders"] <= 2  # the others were done before the crash (in parallel)
    assert all(
        api.call("GET", f"/v1/orders/{o}").json["data"]["customer"]["erased"] for o in ("O1", "O2", "O3")
    )


def erased_ids(repository: Repository, order_ids: list[str]) -> list[str]:
    records = [(o, repository.get_order("demo", o)) for o in order_ids]
    return [o for o, record in records if record is not None and record.order.customer.erased]


def test_a_customer_with_300_orders_is_erased_with_one_read_and_one_write_per_order(
    api: Api, repository: Repository, ddb_calls: DynamoCalls
) -> None:
    order_ids = customer_with_orders(api, "C1", 300)
    ddb_calls.clear()
    reply = api.call("POST", "/v1/customers/C1/erase")
    assert reply.json == {"data": {"customer_id": "C1", "orders": 300}}
    # The customer record, one page of the keys-only customer index, then a GetItem and a PutItem an order.
    assert dict(ddb_calls) == {"UpdateItem": 1, "Query": 1, "GetItem": 300, "PutItem": 300}
    assert erased_ids(repository, order_ids) == order_ids
    stored = json.dumps(boto3.client("dynamodb").scan(TableName="OrdersTable")["Items"]).lower()
    for secret in (EMAIL, "jane doe", "1234 5678"):
        assert secret not in stored


def test_the_dynamodb_client_has_a_connection_for_each_parallel_write() -> None:
    assert aws.dynamodb().meta.config.max_pool_connections >= PARALLEL_WRITES


class RunningOut(Context):
    """A Lambda with plenty of time for its first `looks` at the clock, then less than erasure's margin."""

    def __init__(self, looks: int) -> None:
        super().__init__()
        self.looks = itertools.count()
        self.plenty = looks

    def get_remaining_time_in_millis(self) -> int:
        return 20_000 if next(self.looks) < self.plenty else STOP_MARGIN_MS - 1


def header_of(response: dict[str, Any], name: str) -> str:
    single = response.get("headers") or {}
    return str(single.get(name) or (response.get("multiValueHeaders") or {})[name][0])


def test_an_erasure_short_of_time_answers_503_and_the_retry_erases_the_rest(
    api: Api, repository: Repository
) -> None:
    """As deployed: the sample event of the erase route (customer C7 of demo), the Lambda's time running out."""
    order_ids = customer_with_orders(api, "C7", 40)
    event = json.loads((ROOT / "events" / "erase_customer.json").read_text(encoding="utf-8"))
    handler = handler_module("EraseCustomerFunction").lambda_handler
    stopped = handler(copy.deepcopy(event), RunningOut(looks=25))
    assert stopped["statusCode"] == 503
    assert header_of(stopped, "Retry-After") == "1"
    assert header_of(stopped, "Content-Type").startswith("application/problem+json")
    problem = json.loads(stopped["body"])
    assert problem["title"] == "Not finished in time"
    assert "erased 25 orders, 15 orders still to erase" in problem["detail"]
    assert len(erased_ids(repository, order_ids)) == 25
    finished = handler(copy.deepcopy(event), Context(29_000))
    assert (finished["statusCode"], json.loads(finished["body"])) == (
        200,
        {"data": {"customer_id": "C7", "orders": 15}},
    )
    assert erased_ids(repository, order_ids) == order_ids


def test_an_erasure_by_email_short_of_time_names_the_customers_left(api: Api, repository: Repository) -> None:
    order_ids = [o for c in ("C1", "C2", "C3") for o in customer_with_orders(api, c, 2)]
    erasure, settings = Erasure(), ClientSettings(client_id="demo")
    clock = RunningOut(looks=3)  # one look before the first customer, one before each of its orders
    with pytest.raises(Unfinished, match="erased 2 orders, 2 customers still to erase"):
        erasure.emails(settings, [EMAIL], clock.get_remaining_time_in_millis)
    assert len(erased_ids(repository, order_ids)) == 2
    assert erasure.emails(settings, [EMAIL.upper()]) == (2, 4)
    assert erased_ids(repository, order_ids) == order_ids


@pytest.mark.parametrize(
    ("emails", "status"),
    [([], 422), ([f"a{n}@example.com" for n in range(101)], 422), (["not an address"], 422)],
    ids=["none", "over-100", "not-an-address"],
)
def test_bad_erasure_requests_are_problems(api: Api, emails: list[str], status: int) -> None:
    reply = api.call("POST", "/v1/erasures", body={"emails": emails})
    assert reply.status == status
    assert reply.headers["Content-Type"].startswith("application/problem+json")


def test_an_oversized_erasure_request_is_413(api: Api) -> None:
    reply = api.call("POST", "/v1/erasures", raw_body='{"emails": ["' + "a" * 1_100_000 + '@example.com"]}')
    assert reply.status == 413
    assert reply.headers["Content-Type"].startswith("application/problem+json")


def test_retention_sets_the_ttl_and_the_template_enables_it(api: Api) -> None:
    client_admin.update_settings(Registry(), "demo", {"retention_days": 30})
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    item = boto3.client("dynamodb").get_item(
        TableName="OrdersTable", Key={"pk": {"S": "C#demo#O#O1"}, "sk": {"S": "ORDER"}}
    )["Item"]
    updated = datetime.fromisoformat(api.call("GET", "/v1/orders/O1").json["data"]["updated_at"])
    assert int(item["expires_at"]["N"]) == int((updated + timedelta(days=30)).timestamp())
    assert TEMPLATE.tables["OrdersTable"].time_to_live == {"AttributeName": "expires_at", "Enabled": True}
