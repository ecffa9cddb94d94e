"""What goes on the wire without the resolver: JSON text, RFC 9457 problem responses and
request ids. Neither Powertools nor pydantic, so the fallback answers with this alone.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orders_api.domain.errors import ApiError

PROBLEM_BASE = os.environ.get("PROBLEM_TYPE_BASE", "https://orders-api.example.com/problems/")
JSON = "application/json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
HTML = "text/html; charset=utf-8"

# The Idempotency-Key header: here rather than with the idempotency machinery, so the
# OpenAPI declarations every route imports do not load Powertools' idempotency.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENT_METHODS = ("POST", "PUT")


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def problem_body(error: ApiError, instance: str | None, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + error.slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail or error.title,
        "instance": instance,
    }
    if error.errors is not None:
        body["errors"] = [e.model_dump() for e in error.errors]
    if error.allowed is not None:
        body["allowed"] = error.allowed
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(error: ApiError, instance: str | None, request_id: str | None) -> dict[str, Any]:
    """A complete API Gateway proxy response, for errors raised outside the resolver."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON, **error.headers},
        "body": dumps(problem_body(error, instance, request_id)),
        "isBase64Encoded": False,
    }


def header(event: Mapping[str, Any], name: str) -> str | None:
    headers = event.get("headers") or {}
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def request_id_of(event: Mapping[str, Any]) -> str:
    given = header(event, "X-Request-Id")
    if given and 0 < len(given) <= 200 and given.isprintable():
        return given
    context_id = (event.get("requestContext") or {}).get("requestId")
    return str(context_id or uuid.uuid4())
