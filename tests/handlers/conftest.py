"""Handlers in-process against moto: the real functions, authorizer and tables from template.yaml."""

from __future__ import annotations

import importlib.util
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import boto3
import pytest
from moto import mock_aws
from orders_api.adapters import aws as aws_clients
from orders_api.app import client_admin
from orders_api.domain.client_settings import ClientSettings
from orders_api.store.orders import Repository
from orders_api.store.registry import Registry
from orders_local.template import Route, create_tables, load_template

TEMPLATE = load_template()
DEMO_KEY = "demo-key"
OTHER_KEY = "other-key"
SENDER = TEMPLATE.parameters.get("DefaultSenderEmail", "reviews@example.com")


class Context:
    """The parts of the Lambda context the handlers and Powertools use."""

    function_name = "test-function"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id = "test-request"
    log_group_name = "/aws/lambda/test"
    log_stream_name = "test"

    def __init__(self, remaining_ms: int = 10_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


_modules: dict[str, ModuleType] = {}


def handler_module(function: str) -> ModuleType:
    """Each function's app.py under its own module name, loaded once like a warm container."""
    if function not in _modules:
        code = TEMPLATE.functions[function].code_uri / "app.py"
        spec = importlib.util.spec_from_file_location(f"handler_{function}", code)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[function] = module
    return _modules[function]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str
    event: dict[str, Any] = field(repr=False)

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def _match(route: Route, segments: list[str]) -> dict[str, str] | None:
    pattern = route.path.strip("/").split("/")
    if len(pattern) != len(segments):
        return None
    params: dict[str, str] = {}
    for expected, actual in zip(pattern, segments, strict=True):
        if expected.startswith("{") and expected.endswith("}") and not expected.endswith("+}"):
            params[expected[1:-1]] = unquote(actual)
        elif expected != actual:
            return None
    return params


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    segments = path.strip("/").split("/")
    candidates = []
    for route in TEMPLATE.routes:
        params = _match(route, segments)
        if params is not None and route.method in (method, "ANY"):
            candidates.append((len(params), route.method == "ANY", route, params))
    assert candidates, f"no route for {method} {path}"
    _, _, route, params = min(candidates, key=lambda c: (c[0], c[1]))
    return route, params


class Api:
    def __init__(self) -> None:
        self.calls: list[Reply] = []

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw_body: str | None = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        key: str | None = DEMO_KEY,
    ) -> Reply:
        split = urlsplit(path)
        route, params = find_route(method, split.path)
        query = {**dict(parse_qsl(split.query)), **(query or {})}
        sent_headers = (
            {"Content-Type": "application/json"} if body is not None or raw_body is not None else {}
        )
        if key is not None:
            sent_headers["Authorization"] = f"Bearer {key}"
        sent_headers.update(headers or {})
        text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
        event: dict[str, Any] = {
            "resource": route.path,
            "path": split.path,
            "httpMethod": method,
            "headers": sent_headers,
            "multiValueHeaders": {k: [v] for k, v in sent_headers.items()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} or None,
            "pathParameters": params or None,
            "stageVariables": None,
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "resourcePath": route.path,
                "httpMethod": method,
                "path": f"/{TEMPLATE.stage}{split.path}",
                "stage": TEMPLATE.stage,
                "identity": {"sourceIp": "127.0.0.1"},
            },
            "body": text,
            "isBase64Encoded": False,
        }
        if not route.public:
            denied = self._authorize(event, method)
            if denied is not None:
                return denied
        response = handler_module(route.function).lambda_handler(event, Context())
        merged = dict(response.get("headers") or {})
        merged.update({k: ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()})
        reply = Reply(response["statusCode"], merged, response.get("body") or "", event)
        self.calls.append(reply)
        return reply

    @staticmethod
    def _authorize(event: dict[str, Any], method: str) -> Reply | None:
        authorizer = next(iter(TEMPLATE.authorizers.values()))
        request = {
            "type": "REQUEST",
            "methodArn": f"arn:aws:execute-api:eu-west-1:123456789012:api/{TEMPLATE.stage}/{method}{event['path']}",
            "headers": event["headers"],
            "requestContext": event["requestContext"],
        }
        DynamoCalls.paused = True
        try:
            decision = handler_module(authorizer.function).lambda_handler(request, Context())
        except Exception as error:
            if str(error) != "Unauthorized":
                raise
            return Reply(401, {"WWW-Authenticate": "Bearer"}, '{"status": 401}', event)
        finally:
            DynamoCalls.paused = False
        event["requestContext"]["authorizer"] = {
            **decision["context"],
            "principalId": decision["principalId"],
        }
        return None


class DynamoCalls(Counter[str]):
    """DynamoDB operations the functions send, by operation name (the authorizer's are not counted)."""

    paused = False


@contextmanager
def fake_aws() -> Iterator[None]:
    """moto with the template's tables and the default sender verified in SES."""
    with mock_aws():
        create_tables(boto3.client("dynamodb"), TEMPLATE)
        boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
        yield


def demo_api(registry: Registry) -> Api:
    """Two clients, `demo` and `other`, each with its key, and an Api that calls as `demo`."""
    for client_id, key in (("demo", DEMO_KEY), ("other", OTHER_KEY)):
        client_admin.create_client(registry, ClientSettings(client_id=client_id))
        client_admin.issue_key(registry, client_id, key)
    return Api()


@contextmanager
def counting_calls() -> Iterator[DynamoCalls]:
    """Counts the DynamoDB operations the functions send while the block runs."""
    calls = DynamoCalls()

    def count(event_name: str, **_: Any) -> None:
        if not DynamoCalls.paused:
            calls[event_name.rsplit(".", 1)[-1]] += 1

    events = aws_clients.dynamodb().meta.events
    events.register("before-call.dynamodb", count)
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb", count)


@pytest.fixture
def aws() -> Iterator[None]:
    with fake_aws():
        yield


@pytest.fixture
def repository(aws: None) -> Repository:
    return Repository()


@pytest.fixture
def registry(aws: None) -> Registry:
    return Registry()


@pytest.fixture
def api(registry: Registry) -> Api:
    return demo_api(registry)


@pytest.fixture
def ddb_calls(aws: None) -> Iterator[DynamoCalls]:
    with counting_calls() as calls:
        yield calls


def order_path(order_id: str) -> str:
    return "/v1/orders/" + quote(order_id, safe="")
