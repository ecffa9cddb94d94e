"""OpenAPI response declarations, so every route documents its success and problem bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from orders_api.models import Problem

_DESCRIPTIONS = {
    200: "OK",
    201: "Created",
    400: "Malformed JSON, cursor or token",
    401: "Missing, malformed, unknown or revoked API key",
    403: "client_id does not match the API key",
    404: "Not found (also another client's order)",
    405: "Method not allowed",
    409: "Conflict",
    412: "If-Match names a stale version",
    413: "Body or order too large",
    415: "Body is not JSON",
    422: "Validation failed",
    429: "Throttled",
    500: "Unexpected error",
}
COMMON = (400, 401, 403, 422, 429, 500)
SECURITY: list[dict[str, list[str]]] = [{"apiKey": []}, {"basicAuth": []}]


def responses(success: dict[int, type[BaseModel]], *problems: int) -> dict[int, Any]:
    declared: dict[int, Any] = {
        code: {"description": _DESCRIPTIONS[code], "content": {"application/json": {"model": model}}}
        for code, model in success.items()
    }
    for code in sorted(set(problems) | set(COMMON)):
        declared[code] = {
            "description": _DESCRIPTIONS[code],
            "content": {"application/problem+json": {"model": Problem}},
        }
    return declared
