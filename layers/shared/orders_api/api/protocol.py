"""HTTP facts every function shares, without a framework: media types, header names and request ids."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

JSON = "application/json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
HTML = "text/html; charset=utf-8"

# Here rather than with the idempotency machinery, so the OpenAPI declarations every
# route imports do not load Powertools' idempotency.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENT_METHODS = ("POST", "PUT")


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
