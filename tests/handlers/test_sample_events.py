"""Every sample event in events/ (the ones `sam local invoke -e` takes) reaches its function's
handler and gets the answer it is meant to show; so does an event shaped as
`sam local generate-event apigateway aws-proxy` writes it, whose body is base64."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from orders_api.app import client_admin
from orders_api.store.registry import Registry

from testkit import TEMPLATE, Api
from testkit.functions import FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
SAM_EVENT = ROOT / "tests" / "fixtures" / "sam_generate_event_create_order.json"
# In the order a shop would send them: the order exists before it is read, moved and deleted.
ANSWERS = {
    "create_order": 201,
    "get_order": 200,
    "list_orders": 200,
    "update_order_status": 200,
    "preview_email": 200,
    "put_template": 200,
    "get_template": 200,
    "list_templates": 200,
    "delete_template": 200,
    "get_customer": 200,
    "update_customer": 200,
    "erase_customer": 200,
    "delete_order": 200,
    "create_webhook": 201,
    "read_webhooks": 200,
    "delete_webhook": 404,  # a sample id: no such webhook
    "docs": 200,
    "fallback": 405,
    "unsubscribe": 400,  # its token's signature is a placeholder
}
# What API Gateway adds once the authorizer has accepted the key; `sam local generate-event` has none.
AUTHORIZED = {"principalId": "demo", "client_id": "demo", "settings": '{"client_id":"demo"}'}


def function_of(event_file: Path) -> str:
    """events/<name>.json and events/<name>-<variant>.json belong to the function whose code is functions/<name>."""
    name = event_file.stem.partition("-")[0]
    return next(function.name for function in TEMPLATE.functions.values() if function.code_uri.name == name)


def load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return event


def request_id(response: dict[str, Any]) -> str:
    single = response.get("headers") or {}
    return str(single.get("X-Request-Id") or (response.get("multiValueHeaders") or {})["X-Request-Id"][0])


def test_every_function_has_a_sample_event_and_every_api_sample_is_complete() -> None:
    samples = {path.stem.partition("-")[0] for path in EVENTS.glob("*.json")}
    assert samples == {function.code_uri.name for function in TEMPLATE.functions.values()}
    for path in EVENTS.glob("*.json"):
        context = load(path).get("requestContext")
        if context is not None:
            assert {"protocol", "requestTime", "requestTimeEpoch", "resourceId", "path"} <= set(context), path


@pytest.mark.usefixtures("sender")
def test_every_sample_event_gets_its_answer(api: Api, registry: Registry) -> None:
    client_admin.issue_key(registry, "demo", "local-dev-key")  # the key of events/authorizer.json
    for name, status in ANSWERS.items():
        path = EVENTS / f"{name}.json"
        response = FUNCTIONS.invoke(function_of(path), load(path))
        assert response["statusCode"] == status, (name, response)
        assert request_id(response) == "sample-request-1", name

    policy = FUNCTIONS.invoke(function_of(EVENTS / "authorizer.json"), load(EVENTS / "authorizer.json"))
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert policy["context"]["client_id"] == "demo"

    summary = FUNCTIONS.invoke(function_of(EVENTS / "mailer.json"), load(EVENTS / "mailer.json"))
    assert summary["errors"] == 0


@pytest.mark.usefixtures("api")
def test_a_sam_generated_event_with_a_base64_body_is_decoded() -> None:
    event = load(SAM_EVENT)
    assert event["isBase64Encoded"] is True
    event["requestContext"]["authorizer"] = dict(AUTHORIZED)
    response = FUNCTIONS.invoke("CreateOrderFunction", copy.deepcopy(event))
    assert response["statusCode"] == 201, response
    assert json.loads(response["body"])["data"]["id"] == "1003"
    replayed = FUNCTIONS.invoke("CreateOrderFunction", event)
    assert replayed["statusCode"] == 200, replayed
