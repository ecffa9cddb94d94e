"""Each function's DynamoDB permissions in template.yaml against the calls its code makes under moto.

Every call a function makes must be allowed by its own statements (action, table or index, and the
leading keys a condition names), and every DynamoDB permission a function holds must be used by one of
the requests below. So a permission the code needs cannot be missing, one it no longer needs shows up
here, and read-only functions provably get read-only access.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from orders_api import settings
from orders_api.adapters import aws as aws_clients
from orders_api.app import client_admin
from orders_api.app import unsubscribe_links as unsubscribe
from orders_api.app.orders import Orders
from orders_api.store.registry import Registry
from orders_local.template import CfnLoader

from testkit import TEMPLATE, Api, Context, DynamoCalls, drain_queue, drain_stream, handler_module

READ_ONLY = {"AuthorizerFunction", "GetOrderFunction", "ListOrdersFunction", "GetCustomerFunction"}
READ_ACTIONS = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
WRITE_OPERATIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}

# What Powertools' DynamoDB idempotency store documents; it reads with GetItem only when a conditional
# put returns no old item, which moto never does.
IDEMPOTENCY_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}

ROOT = TEMPLATE.path.parent
Grant = tuple[str, str]  # (action, "Table" or "Table/index/Name")


def _resource(value: Any) -> str:
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        table, attribute = value["Fn::GetAtt"]
        assert attribute == "Arn"
        return str(table)
    if isinstance(value, dict) and "Fn::Sub" in value:
        table, separator, index = str(value["Fn::Sub"]).partition(".Arn}/index/")
        assert separator
        assert table.startswith("${")
        return f"{table[2:]}/index/{index}"
    return json.dumps(value)


def granted(function: str) -> dict[Grant, tuple[str, ...] | None]:
    """The function's DynamoDB grants, each with the leading-key patterns its condition allows (None: any)."""
    with TEMPLATE.path.open(encoding="utf-8") as stream:
        resources = yaml.load(stream, Loader=CfnLoader)["Resources"]
    grants: dict[Grant, tuple[str, ...] | None] = {}
    for policy in resources[function]["Properties"].get("Policies") or []:
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow"
            targets = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            condition = statement.get("Condition", {}).get("ForAllValues:StringLike", {})
            patterns = tuple(condition["dynamodb:LeadingKeys"]) if condition else None
            for action in statement["Action"]:
                if action.startswith("dynamodb:"):
                    grants.update({(action, _resource(target)): patterns for target in targets})
    return grants


def _partition_key(table: str) -> str:
    schema = TEMPLATE.tables[table].create_args["KeySchema"]
    return str(next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH"))


def _calls(operation: str, params: dict[str, Any]) -> Iterator[tuple[Grant, str | None]]:
    """(grant needed, leading key) of each item a DynamoDB request touches."""
    if operation == "TransactWriteItems":
        for item in params["TransactItems"]:
            ((kind, write),) = item.items()
            yield from _calls(WRITE_OPERATIONS[kind], write)
    elif operation == "BatchGetItem":
        for table, request in params["RequestItems"].items():
            for key in request["Keys"]:
                yield (f"dynamodb:{operation}", table), key[_partition_key(table)]["S"]
    elif operation == "Query":
        index = params.get("IndexName")
        table = params["TableName"]
        leading = None if index else params["ExpressionAttributeValues"][":pk"]["S"]
        yield (f"dynamodb:{operation}", f"{table}/index/{index}" if index else table), leading
    else:
        table = params["TableName"]
        item = params.get("Key") or params["Item"]
        yield (f"dynamodb:{operation}", table), item[_partition_key(table)]["S"]


@dataclass
class Recorder:
    """DynamoDB calls by function: the authorizer's while Api pauses counting, the rest while `running`."""

    function: str | None = None
    seen: dict[str, list[tuple[Grant, str | None]]] = field(default_factory=dict)

    def record(self, event_name: str, params: dict[str, Any], **_: Any) -> None:
        function = "AuthorizerFunction" if DynamoCalls.paused else self.function
        if function is not None:
            self.seen.setdefault(function, []).extend(_calls(event_name.rsplit(".", 1)[-1], params))

    @contextmanager
    def running(self, function: str) -> Iterator[None]:
        self.function = function
        try:
            yield
        finally:
            self.function = None


@pytest.fixture
def recorder(api: Api) -> Iterator[Recorder]:
    recorder = Recorder()
    events = aws_clients.dynamodb().meta.events
    events.register("before-parameter-build.dynamodb", recorder.record)
    yield recorder
    events.unregister("before-parameter-build.dynamodb", recorder.record)


TODAY = datetime.now(UTC).date()


def order(order_id: str = "O1") -> dict[str, Any]:
    return {
        "order": {
            "id": order_id,
            "customer": {"id": "C1", "email": "c1@example.com"},
            "items": [{"id": "SKU-1", "name": "Trail shoe", "delivery_date": TODAY.isoformat()}],
            "invitation": {"delay": {"unit": "minutes", "amount": 0}, "reminder": None},
        }
    }


def idempotent_paths(
    api: Api, method: str, path: str, body: Any, failing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First call, replay, and a 500 (whose record is deleted) with an Idempotency-Key."""
    assert (
        api.call(method, path, body=body, headers={"Idempotency-Key": f"{method}{path}-first"}).status < 300
    )
    replayed = api.call(method, path, body=body, headers={"Idempotency-Key": f"{method}{path}-first"})
    assert replayed.header("Idempotent-Replayed") == "true"

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("broken")

    with monkeypatch.context() as patch:
        patch.setattr(Orders, failing, broken)
        assert (
            api.call(method, path, body=body, headers={"Idempotency-Key": f"{method}{path}-failed"}).status
            == 500
        )


def exercise(api: Api, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every DynamoDB path of every function: writes, reads, each list index, idempotency, the mailer."""
    with recorder.running("CreateOrderFunction"):
        idempotent_paths(api, "POST", "/v1/orders", order(), "upsert", monkeypatch)
        assert api.call("POST", "/v1/orders/batch", body={"orders": [order("O2")["order"]]}).status == 200
    with recorder.running("GetOrderFunction"):
        assert api.call("GET", "/v1/orders/O1").status == 200
    with recorder.running("ListOrdersFunction"):
        for query in ({}, {"customer_id": "C1"}, {"customer_email": "c1@example.com"}):
            assert api.call("GET", "/v1/orders", query=query).status == 200
    with recorder.running("UpdateOrderStatusFunction"):
        status = {"status": "paid"}
        idempotent_paths(api, "PUT", "/v1/orders/O2/status", status, "change_status", monkeypatch)
    client_admin.update_settings(Registry(), "demo", {"invitation_cap": {"count": 5, "days": 30}})
    template = {
        "subject": "Hallo {{ customer.name }}",
        "text": "{{ order.id }}",
        "html": "<p>{{ order.id }}</p>",
    }
    with recorder.running("PutTemplateFunction"):
        assert api.call("PUT", "/v1/templates/invitation/de", body=template).status == 200
    with recorder.running("ListTemplatesFunction"):
        assert api.call("GET", "/v1/templates").status == 200
    with recorder.running("GetTemplateFunction"):
        assert api.call("GET", "/v1/templates/invitation/de-AT").status == 200
    with recorder.running("PreviewEmailFunction"):
        assert api.call("GET", "/v1/orders/O1/emails/preview").status == 200
    with recorder.running("DeleteTemplateFunction"):
        assert api.call("DELETE", "/v1/templates/reminder/de").status == 200
    with recorder.running("MailerFunction"):
        later = datetime.now(UTC) + timedelta(days=2)
        summary = handler_module("MailerFunction").lambda_handler(
            {"time": later.isoformat()}, Context(300_000)
        )
        assert summary["sent"] >= 1
    with recorder.running("DeleteOrderFunction"):
        assert api.call("DELETE", "/v1/orders/O1").status == 200
    with recorder.running("GetCustomerFunction"):
        assert api.call("GET", "/v1/customers/C1").status == 200
    with recorder.running("UpdateCustomerFunction"):
        assert api.call("PATCH", "/v1/customers/C1", body={"opt_out": True}).status == 200
        assert api.call("PATCH", "/v1/customers/C1", body={"suppressed": None}).status == 200
    with recorder.running("FeedbackFunction"):
        event = json.loads((ROOT / "events" / "feedback.json").read_text(encoding="utf-8"))
        event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = "c1@example.com"
        assert handler_module("FeedbackFunction").lambda_handler(event, Context(60_000))["suppressed"] == 1
    with recorder.running("EraseCustomerFunction"):
        idempotent_paths(api, "POST", "/v1/customers/C1/erase", {}, "change", monkeypatch)
        assert api.call("POST", "/v1/erasures", body={"emails": ["C1@Example.com"]}).status == 200
    with recorder.running("UnsubscribeFunction"):
        token = quote(unsubscribe.token("demo", "C1"), safe="")
        assert api.call("GET", f"/v1/unsubscribe?token={token}", key=None).status == 200
    exercise_webhooks(api, recorder)
    for function, method, path in (
        ("DocsFunction", "GET", "/v1/openapi.json"),
        ("FallbackFunction", "PATCH", "/v1/orders/O1"),
    ):
        with recorder.running(function):
            api.call(method, path, key=None)


def exercise_webhooks(api: Api, recorder: Recorder) -> None:
    """Registering, reading and deleting webhooks, the events function and one delivery attempt."""
    with recorder.running("CreateWebhookFunction"):
        created = api.call("POST", "/v1/webhooks", body={"url": "http://127.0.0.1:9/", "events": ["*"]})
        assert created.status == 201
    webhook_id = created.json["data"]["id"]
    with recorder.running("ReadWebhooksFunction"):
        for path in ("/v1/webhooks", f"/v1/webhooks/{webhook_id}", f"/v1/webhooks/{webhook_id}/deliveries"):
            assert api.call("GET", path).status == 200
    with recorder.running("EventsFunction"):
        assert drain_stream() > 0
    with recorder.running("DeliverWebhooksFunction"):
        assert drain_queue() > 0
    with recorder.running("DeleteWebhookFunction"):
        assert api.call("DELETE", f"/v1/webhooks/{webhook_id}").status == 200


def test_every_call_is_allowed_and_every_permission_is_used(
    api: Api, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", "reviews@example.com")
    monkeypatch.setenv("WEBHOOKS_ALLOW_LOCAL_HTTP", "true")
    settings.reload()
    exercise(api, recorder, monkeypatch)
    for function in TEMPLATE.functions:
        grants = granted(function)
        calls = recorder.seen.get(function, [])
        for grant, leading_key in calls:
            assert grant in grants, f"{function} calls {grant} without permission"
            patterns = grants[grant]
            if patterns is not None:
                assert leading_key is not None
                assert any(fnmatch.fnmatchcase(leading_key, p) for p in patterns), (function, leading_key)
        idempotency = {action for action, table in grants if table == "IdempotencyTable"}
        assert idempotency in (set(), IDEMPOTENCY_ACTIONS), function
        used = {grant for grant, _ in calls}
        unused = {grant for grant in grants if grant not in used and grant[1] != "IdempotencyTable"}
        assert not unused, f"{function} holds unused permissions"


@pytest.mark.parametrize("function", sorted(READ_ONLY))
def test_read_only_functions_hold_read_actions_only(function: str) -> None:
    assert {action for action, _ in granted(function)} <= READ_ACTIONS
