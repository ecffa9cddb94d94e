"""Bodies as API Gateway may hand them over: base64-encoded, or nested far deeper than an order."""

from __future__ import annotations

import base64
import json

import pytest

from testkit import Api
from testkit.functions import FUNCTIONS

ORDER = {"order": {"id": "O1", "customer": {"id": "C1"}}}
# Every route that reads a body, and a valid body for it.
WRITES = [
    ("POST", "/v1/orders", ORDER),
    ("POST", "/v1/orders/batch", {"orders": [ORDER["order"]]}),
    ("PUT", "/v1/orders/O1/status", {"status": "paid"}),
    ("PATCH", "/v1/customers/C1", {"opt_out": True}),
]


def nested(depth: int, kind: str) -> str:
    return "[" * depth + "]" * depth if kind == "array" else '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [10, 1_000, 100_000])
@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_deep_nesting_is_a_400_at_the_top_and_inside_attributes(
    api: Api, method: str, path: str, body: dict[str, object], depth: int, kind: str
) -> None:
    api.call("POST", "/v1/orders", body=ORDER)
    inside = json.dumps({"order": {**ORDER["order"], "attributes": {"x": "@"}}}).replace(
        '"@"', nested(depth, kind)
    )
    for raw in (nested(depth, kind), inside):
        reply = api.call(method, path, raw_body=raw)
        assert reply.status == 400, (raw[:40], reply.text)
        assert "nests deeper than 8 levels" in reply.json["detail"]
    assert api.call(method, path, body=body).status in (200, 201)


def test_nesting_up_to_the_size_limit_is_a_400(api: Api) -> None:
    depth = (1024 * 1024 - 2) // 2
    assert api.call("POST", "/v1/orders", raw_body=nested(depth, "array")).status == 400
    assert api.call("POST", "/v1/orders", raw_body=nested(depth + 2, "array")).status == 413


def test_brackets_inside_strings_do_not_count(api: Api) -> None:
    note = "[[[[[[[[[[{{{{{{{{{{ \\" + '" ]]]'
    reply = api.call("POST", "/v1/orders", body={"order": {**ORDER["order"], "note": note}})
    assert reply.status == 201, reply.text
    assert reply.json["data"]["note"] == note


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_base64_bodies_are_decoded(api: Api, method: str, path: str, body: dict[str, object]) -> None:
    api.call("POST", "/v1/orders", body=ORDER)
    sent = api.call(method, path, body=body)
    assert sent.function is not None
    assert sent.event is not None
    encoded = base64.b64encode(json.dumps(body).encode()).decode()
    response = FUNCTIONS.invoke(sent.function, {**sent.event, "isBase64Encoded": True, "body": encoded})
    assert response["statusCode"] == sent.status, response
    for bad in ("not base64!", base64.b64encode(b"\xff\xfe{}").decode()):
        refused = FUNCTIONS.invoke(sent.function, {**sent.event, "isBase64Encoded": True, "body": bad})
        assert refused["statusCode"] == 400, refused
        assert "UTF-8 JSON" in json.loads(refused["body"])["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/orders"), ("PUT", "/v1/orders/1001/status"), ("PUT", "/v1/templates/status/nl")],
)
def test_a_number_too_long_to_read_is_a_400(api: Api, method: str, path: str) -> None:
    """json.loads refuses integers of more than 4,300 digits with a ValueError, not a JSONDecodeError."""
    reply = api.call(method, path, raw_body='{"order": ' + "9" * 5000 + "}")
    assert reply.status == 400, reply.text
    assert reply.json["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/orders", {"order": {"id": "1001", "customer": {"id": "C1"}}}),
        ("PUT", "/v1/templates/status/nl", {"subject": "s", "text": "t", "html": "h"}),
        ("POST", "/v1/erasures", {"emails": ["jane@example.com"]}),
    ],
)
def test_an_array_of_valid_bodies_is_refused_as_a_whole(
    api: Api, method: str, path: str, body: dict[str, object]
) -> None:
    reply = api.call(method, path, raw_body=json.dumps([body]))
    assert reply.status == 422, reply.text
    assert reply.json["errors"] == [
        {"field": "body", "message": "Input should be a valid dictionary or object to extract fields from"}
    ]
