"""HTTP facts every function shares, without a framework: media types, header names and request ids."""

from __future__ import annotations

import re
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
REQUEST_ID_HEADER = "X-Request-Id"
MAX_REQUEST_ID_LENGTH = 200
MAX_IF_MATCH_LENGTH = 64
# What the headers the service reads may hold: visible ASCII, which every HTTP client can send.
HEADER_VALUE = re.compile(r"[\x21-\x7E]+")


def is_header_value(value: str, max_length: int) -> bool:
    return len(value) <= max_length and HEADER_VALUE.fullmatch(value) is not None


def header(event: Mapping[str, Any], name: str) -> str | None:
    headers = event.get("headers") or {}
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def request_id_of(event: Mapping[str, Any]) -> str:
    given = header(event, REQUEST_ID_HEADER)
    if given and is_header_value(given, MAX_REQUEST_ID_LENGTH):
        return given
    context_id = (event.get("requestContext") or {}).get("requestId")
    return str(context_id or uuid.uuid4())
