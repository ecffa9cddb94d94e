"""`make run` over real HTTP: the gateway, the authorizer, the handlers and the local-only routes."""

from __future__ import annotations

import base64
import signal
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from orders_api.app.client_admin import issue_key, revoke_key
from orders_api.store.registry import Registry
from orders_api.store.table import Table
from orders_local.template import load_template

if TYPE_CHECKING:
    from tests.integration.conftest import LocalApi, Reply

TEMPLATE = load_template()
MISSING = "/v1/orders/some-missing-id"
SENDER = TEMPLATE.parameters["DefaultSenderEmail"]
# The table the authorizer reads keys from.
KEYS_TABLE = TEMPLATE.functions[next(iter(TEMPLATE.authorizers.values())).function].environment["TABLE_NAME"]


def aws_client(local_api: LocalApi, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=local_api.aws_endpoint,
        region_name=local_api.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.body["status"] == status


def test_docs_need_no_key(local_api: LocalApi) -> None:
    client = local_api.client()
    spec = client.get("/v1/openapi.json")
    assert spec.status == 200
    assert spec.body["openapi"].startswith("3.")
    docs = client.get("/v1/docs")
    assert docs.status == 200
    assert "<html" in docs.body.lower()


def test_protected_route_without_key_is_401(local_api: LocalApi) -> None:
    reply = local_api.client().get(MISSING)
    assert_problem(reply, 401)
    assert reply.headers["WWW-Authenticate"] == "Bearer"
    assert reply.body["instance"] == MISSING


@pytest.mark.parametrize(
    "authorization", ["Bearer wrong-key", "Basic bm90LWEta2V5Og==", "Token local-dev-key"]
)
def test_wrong_key_is_401(local_api: LocalApi, authorization: str) -> None:
    reply = local_api.client().get(MISSING, headers={"Authorization": authorization})
    assert_problem(reply, 401)
    assert reply.headers["WWW-Authenticate"] == "Bearer"


def test_bearer_key_reaches_the_handler(local_api: LocalApi) -> None:
    for key in local_api.keys.values():
        reply = local_api.client(key).get(MISSING)
        assert_problem(reply, 404)
        assert reply.body["instance"] == MISSING


def test_basic_key_reaches_the_handler(local_api: LocalApi) -> None:
    credentials = base64.b64encode(b"local-dev-key:").decode()
    reply = local_api.client().get(MISSING, headers={"Authorization": f"Basic {credentials}"})
    assert_problem(reply, 404)


def test_revoked_key_fails_at_once(local_api: LocalApi) -> None:
    repository = Registry(Table(KEYS_TABLE, aws_client(local_api, "dynamodb")))
    key = issue_key(repository, "demo", f"revoke-me-{uuid.uuid4().hex}")
    client = local_api.client(key)
    assert client.get(MISSING).status == 404
    assert revoke_key(repository, key)
    assert_problem(client.get(MISSING), 401)


@pytest.mark.parametrize("path", ["/nope", "/", "/v1/orders/x/y/z"])
def test_unknown_path_is_404_problem(local_api: LocalApi, path: str) -> None:
    reply = local_api.client().get(path)
    assert_problem(reply, 404)
    assert reply.headers["X-Request-Id"]


def test_request_id_is_echoed_or_made(local_api: LocalApi) -> None:
    authorized = local_api.client(local_api.keys["demo"])
    sent = f"req-{uuid.uuid4().hex}"
    assert authorized.get(MISSING, headers={"X-Request-Id": sent}).headers["X-Request-Id"] == sent
    assert local_api.client().get(MISSING, headers={"X-Request-Id": sent}).headers["X-Request-Id"] == sent
    made = authorized.get(MISSING)
    assert made.headers["X-Request-Id"]
    assert made.headers["X-Request-Id"] == made.body["request_id"]
    refused = local_api.client().get(MISSING)
    assert refused.headers["X-Request-Id"] == refused.body["request_id"]


def test_body_over_10_mb_is_413(local_api: LocalApi) -> None:
    body = b"x" * (10 * 1024 * 1024 + 1)
    reply = local_api.client(local_api.keys["demo"]).post("/v1/orders", body, {"Content-Type": "text/plain"})
    assert_problem(reply, 413)


def test_outbox_shows_simple_and_raw_emails(local_api: LocalApi) -> None:
    ses = aws_client(local_api, "sesv2")
    token = uuid.uuid4().hex
    ses.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Content={
            "Simple": {
                "Subject": {"Data": f"simple {token}"},
                "Body": {"Text": {"Data": "Hello Ann"}},
            }
        },
    )
    raw = EmailMessage()
    raw["From"] = f"Shop <{SENDER}>"
    raw["To"] = "Bob <bob@example.org>"
    raw["Subject"] = f"raw {token} ünïcode"
    raw["List-Unsubscribe"] = "<https://example.com/unsubscribe/abc>"
    raw.set_content("Hello Bob")
    raw.add_alternative("<p>Hello <b>Bob</b></p>", subtype="html")
    ses.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        Content={"Raw": {"Data": raw.as_bytes()}},
    )

    reply = local_api.client().get("/_local/outbox")
    assert reply.status == 200
    mine = [m for m in reply.body["data"] if token in (m["subject"] or "")]
    assert [m["subject"] for m in mine] == [f"simple {token}", f"raw {token} ünïcode"]
    simple, parsed = mine
    assert simple["from"] == SENDER
    assert simple["to"] == ["ann@example.org"]
    assert simple["text"] == "Hello Ann"
    assert simple["html"] is None
    assert parsed["from"] == f"Shop <{SENDER}>"
    assert parsed["to"] == ["Bob <bob@example.org>"]
    assert parsed["text"].strip() == "Hello Bob"
    assert parsed["html"].strip() == "<p>Hello <b>Bob</b></p>"
    assert parsed["headers"]["List-Unsubscribe"] == "<https://example.com/unsubscribe/abc>"


def test_schedule_run(local_api: LocalApi) -> None:
    client = local_api.client()
    assert_problem(client.post("/_local/schedule/run", {"time": "not a time"}), 400)
    assert_problem(client.post("/_local/schedule/run", "[1, 2]"), 400)
    reply = client.post("/_local/schedule/run", {"time": "2030-01-01T10:00:00Z"})
    if TEMPLATE.scheduled_function() is None:
        assert_problem(reply, 404)
    else:
        assert reply.status == 200, reply
        assert "data" in reply.body


def test_schedule_run_mails_a_due_invitation(local_api: LocalApi) -> None:
    token = uuid.uuid4().hex
    email = f"mailer-{token}@example.org"
    order = {
        "id": f"O-{token}",
        "customer": {"id": f"C-{token}", "email": email, "name": "Ann"},
        "items": [{"id": "I1", "name": "Walking shoe"}],
        "invitation": {"delay": {"unit": "minutes", "amount": 0}, "reminder": None, "from": "order"},
    }
    created = local_api.client(local_api.keys["demo"]).post("/v1/orders", {"order": order})
    assert created.status == 201, created
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    run = local_api.client().post("/_local/schedule/run", {"time": soon})
    assert run.status == 200, run
    sent = [m for m in local_api.client().get("/_local/outbox").body["data"] if m["to"] == [email]]
    assert len(sent) == 1
    assert "Walking shoe" in sent[0]["text"]
    assert local_api.base_url in sent[0]["headers"]["List-Unsubscribe"]


def test_unknown_local_route_is_404(local_api: LocalApi) -> None:
    assert_problem(local_api.client().get("/_local/nothing"), 404)
    assert_problem(local_api.client().get("/_local/schedule/run"), 405)


def test_ctrl_c_stops_cleanly(own_local_api: LocalApi) -> None:
    api = own_local_api
    assert api.client().get("/v1/openapi.json").status == 200
    api.process.send_signal(signal.SIGINT)
    assert api.wait() == 0, api.log()
    assert "Stopped." in api.log()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(api.base_url + "/v1/docs", timeout=5)


def test_client_helper_methods(local_api: LocalApi) -> None:
    client = local_api.client(local_api.keys["demo"])
    for reply in (
        client.put(MISSING, {"status": "shipped"}),
        client.patch(MISSING, {"note": "x"}),
        client.delete(MISSING),
    ):
        assert reply.status in (404, 405, 422), reply
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.headers["X-Request-Id"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("TRACE", "/v1/orders", "GET, POST"),
        ("QUERY", "/v1/orders/O1", "DELETE, GET"),
        ("POST", "/v1/docs", "GET"),
    ],
)
def test_any_method_is_routed_like_api_gateway_routes_it(
    local_api: LocalApi, method: str, path: str, allowed: str
) -> None:
    reply = local_api.client().request(method, path)
    assert_problem(reply, 405)
    assert reply.headers["Allow"] == allowed
