"""OpenAPI declarations shared by the routes: success and problem bodies, headers, path parameters.

Every function that declares a route loads this, so it holds only what declarations use; how
the document is finished (orders_api.api.assembly) is loaded by its generator alone.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from orders_api.api.protocol import REQUEST_ID_HEADER
from orders_api.domain import examples
from orders_api.domain.base_models import Problem

_DESCRIPTIONS = {
    400: "Malformed JSON, cursor, token or header (X-Request-Id, If-Match), or a body nested too deep",
    401: "Missing, malformed, unknown or revoked API key",
    403: "client_id does not match the API key",
    404: "Not found (also another client's order)",
    409: "Conflict: the order exists (mode=create), is deleted, the move is not allowed, the client "
    "has 10 webhooks already, or a request with the same Idempotency-Key is still in flight",
    412: "If-Match names a stale version",
    413: "Body or order too large",
    415: "Body is not JSON",
    422: "Validation failed; every problem is listed with its field path",
    429: "Throttled",
    500: "Unexpected error; the body names the request id only",
    503: "Not finished in time: the body says what was done; send the same request again for the rest",
}
ALWAYS = (400, 429, 500)
SECURED = (401, 403)
SECURITY: list[dict[str, list[str]]] = [{"apiKey": []}, {"basicAuth": []}]

TEXT = {"type": "string"}
REQUEST_ID = REQUEST_ID_HEADER
ETAG = {
    "ETag": {
        "description": 'The order\'s version in quotes, such as "3"; send it as If-Match to write only that version',
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    }
}
LOCATION = {
    "Location": {"description": "The new order's path, its id URL-encoded", "required": True, "schema": TEXT}
}
_RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    REQUEST_ID: {
        "description": "Names the request in every log line: the caller's X-Request-Id when given, else a new id",
        "required": True,
        "schema": TEXT,
    },
}
_PROBLEM_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {"WWW-Authenticate": {"description": "Always Bearer", "required": True, "schema": TEXT}},
    429: {"Retry-After": {"description": "Seconds to wait before retrying", "schema": TEXT}},
    503: {"Retry-After": {"description": "Seconds to wait before sending it again", "schema": TEXT}},
}
REPLAYED = {
    "Idempotent-Replayed": {
        "description": "true when this is the stored answer to an earlier request with the same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    }
}

OrderId = Annotated[
    str,
    Path(
        description="The order's id, URL-encoded (ids may hold '/', '#' or spaces)",
        examples=[examples.ORDER_ID],
    ),
]
CustomerId = Annotated[
    str, Path(description="The customer's id, URL-encoded", examples=[examples.CUSTOMER_ID])
]
WebhookId = Annotated[str, Path(description="The webhook's id", examples=["wh_4f9c2b7a1d3e5f60718293a4"])]


def success(
    body: type[BaseModel] | dict[str, Any],
    *header_sets: dict[str, dict[str, Any]],
    media_type: str = "application/json",
    description: str = "OK",
) -> dict[str, Any]:
    """A success response: its body (a model, or a plain schema) and the headers that come with it."""
    content = {"model": body} if isinstance(body, type) else {"schema": body}
    return {
        "description": description,
        "headers": {name: header for headers in header_sets for name, header in headers.items()},
        "content": {media_type: content},
    }


def responses(
    success: dict[int, dict[str, Any]], *problems: int, secured: bool = True, idempotent: bool = False
) -> dict[int, Any]:
    """Every answer a route gives: its success bodies, and a problem document for each error code.

    Any route may be throttled or fail; a secured one also refuses keys. Each response
    carries X-Request-Id; an idempotent route's answers below 500 may be replays.
    """
    replayed = REPLAYED if idempotent else {}
    declared: dict[int, Any] = {
        code: {
            "description": answer["description"],
            "headers": {**_RESPONSE_HEADERS, **answer["headers"], **replayed},
            "content": answer["content"],
        }
        for code, answer in success.items()
    }
    for code in sorted({*problems, *ALWAYS, *(SECURED if secured else ())}):
        declared[code] = {
            "description": _DESCRIPTIONS[code],
            "headers": {
                **_RESPONSE_HEADERS,
                **_PROBLEM_HEADERS.get(code, {}),
                **(replayed if code < 500 else {}),
            },
            "content": {"application/problem+json": {"model": Problem}},
        }
    return declared
