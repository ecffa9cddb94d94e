"""OpenAPI declarations shared by the routes: success and problem bodies, headers, parameters."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Any, get_args

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel, TypeAdapter, WithJsonSchema

from orders_api.api.protocol import (
    HEADER_VALUE,
    MAX_IF_MATCH_LENGTH,
    MAX_REQUEST_ID_LENGTH,
    REQUEST_ID_HEADER,
)
from orders_api.api.protocol import IDEMPOTENCY_KEY_HEADER as IDEMPOTENCY_KEY
from orders_api.api.protocol import IDEMPOTENCY_KEY_MAX_LENGTH as MAX_KEY_LENGTH
from orders_api.api.protocol import IDEMPOTENT_METHODS as METHODS
from orders_api.domain import examples
from orders_api.domain.email_models import TemplateKind
from orders_api.domain.listing import SortOrder
from orders_api.domain.models import (
    Invitation,
    InvitationState,
    Problem,
    Suppression,
    Unit,
    WriteMode,
)
from orders_api.domain.scalars import Attributes, LocaleTag
from orders_api.domain.status import Status

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

_TEXT = {"type": "string"}
VISIBLE_ASCII = f"^{HEADER_VALUE.pattern}$"
REQUEST_ID = REQUEST_ID_HEADER
ETAG = {
    "ETag": {
        "description": 'The order\'s version in quotes, such as "3"; send it as If-Match to write only that version',
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    }
}
LOCATION = {
    "Location": {"description": "The new order's path, its id URL-encoded", "required": True, "schema": _TEXT}
}
_RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    REQUEST_ID: {
        "description": "Names the request in every log line: the caller's X-Request-Id when given, else a new id",
        "required": True,
        "schema": _TEXT,
    },
}
_PROBLEM_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {"WWW-Authenticate": {"description": "Always Bearer", "required": True, "schema": _TEXT}},
    429: {"Retry-After": {"description": "Seconds to wait before retrying", "schema": _TEXT}},
    503: {"Retry-After": {"description": "Seconds to wait before sending it again", "schema": _TEXT}},
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

TemplateKindPath = Annotated[
    TemplateKind, Path(description="invitation, reminder or status", examples=["invitation"])
]
LocalePath = Annotated[
    LocaleTag, Path(description="BCP 47 language tag such as nl, de-AT or en-GB", examples=["nl"])
]
# How list_orders' creation bounds are documented; orders_api.domain.listing.created_bound reads them.
CreatedBound = Annotated[
    datetime, WithJsonSchema({"type": "string", "examples": ["2021-10-01", "2021-10-01T13:00:00Z"]})
]

# Request parameters every operation takes, added where the document is assembled.
REQUEST_ID_PARAMETER: dict[str, Any] = {
    "name": REQUEST_ID,
    "in": "header",
    "required": False,
    "description": "Echoed on the response and logged with the request; another value is a 400",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_REQUEST_ID_LENGTH,
        "pattern": VISIBLE_ASCII,
    },
}
CLIENT_ID_PARAMETER: dict[str, Any] = {
    "name": "client_id",
    "in": "query",
    "required": False,
    "description": "For older clients: must be the API key's client, else 403",
    "schema": _TEXT,
}
IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "description": "Replays the first response to the same key and body within 24 hours; the same key "
    "with another body is a 422, while the first is in flight a 409",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": VISIBLE_ASCII},
}
IF_MATCH_PARAMETER: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag of the version to change, such as "3"; "*" matches any version. A value that '
    "names another version, or none, is a 412 and changes nothing.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IF_MATCH_LENGTH, "pattern": VISIBLE_ASCII},
}


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


def add_request_parameters(document: dict[str, Any]) -> None:
    """The parameters the entry point handles for every route, before a route sees the request.

    Every operation takes X-Request-Id; a secured one client_id, and Idempotency-Key when
    it is a POST or PUT; one that can answer 412 takes If-Match.
    """
    for operations in document["paths"].values():
        for method, operation in operations.items():
            added = [REQUEST_ID_PARAMETER]
            operation.setdefault("security", [])  # public: no key, whatever the document's default
            if operation["security"]:
                added.append(CLIENT_ID_PARAMETER)
                if method.upper() in METHODS:
                    added.append(IDEMPOTENCY_KEY_PARAMETER)
            if "412" in operation["responses"]:
                added.append(IF_MATCH_PARAMETER)
            operation["parameters"] = [*operation.get("parameters", []), *added]


def drop_unused_schemas(document: dict[str, Any]) -> None:
    """Powertools adds its own validation error schemas; the routes answer with Problem instead."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    wanted: set[str] = set()
    pending = [{key: value for key, value in document.items() if key != "components"}]
    while pending:
        for name in re.findall(f'"{prefix}([^"]+)"', json.dumps(pending.pop())):
            if name not in wanted:
                wanted.add(name)
                pending.append(schemas[name])
    for name in set(schemas) - wanted:
        del schemas[name]


# Enumerations and objects that appear in several places, as named schemas: SDK generators name
# their types after them rather than after the first property they meet.
_NAMED_ENUMS: dict[str, tuple[tuple[Any, ...], list[str] | None]] = {
    "OrderStatus": (get_args(Status), None),
    "WriteMode": (get_args(WriteMode), None),
    "SortOrder": (get_args(SortOrder), ["CREATED_AT_DESC", "CREATED_AT_ASC"]),
    "InvitationState": (get_args(InvitationState), None),
    "Suppression": (get_args(Suppression), None),
    "TimeUnit": (get_args(Unit), None),
    "InvitationFrom": (get_args(get_args(Invitation.model_fields["from_"].annotation)[0]), None),
}
_NAMED_OBJECTS = {"Attributes": Attributes}


def name_shared_schemas(document: dict[str, Any]) -> None:
    """Every inline enumeration (and attributes object) becomes a reference to one named schema."""
    by_values = {values: name for name, (values, _) in _NAMED_ENUMS.items()}
    objects = {
        json.dumps(TypeAdapter(kind).json_schema(), sort_keys=True): name
        for name, kind in _NAMED_OBJECTS.items()
    }

    def named(node: Any) -> Any:
        if isinstance(node, list):
            return [named(each) for each in node]
        if not isinstance(node, dict):
            return node
        name = by_values.get(tuple(node.get("enum", ()))) if "enum" in node else None
        shape = {key: value for key, value in node.items() if key not in ("title", "description", "default")}
        name = name or objects.get(json.dumps(shape, sort_keys=True))
        if name is None:
            return {key: named(value) for key, value in node.items()}
        kept = {key: node[key] for key in ("description", "default") if key in node}
        return {"$ref": f"#/components/schemas/{name}", **kept}

    for key in ("paths", "components"):
        document[key] = named(document[key])
    schemas: dict[str, Any] = document["components"]["schemas"]
    for name, (values, varnames) in _NAMED_ENUMS.items():
        schemas[name] = {"type": "string", "enum": list(values), "title": name}
        if varnames:
            schemas[name]["x-enum-varnames"] = varnames
    for name, kind in _NAMED_OBJECTS.items():
        schemas[name] = {**TypeAdapter(kind).json_schema(), "title": name}


# Where an answer leads: the order an operation answered with can be read, moved and deleted.
_ORDER_LINKS = {
    "getOrder": "Read the order",
    "updateOrderStatus": "Move the order to another status",
    "deleteOrder": "Delete the order",
}


def add_links(document: dict[str, Any]) -> None:
    """OpenAPI links from each answer that carries an order to the operations on that order."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, answer in operation["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref", "").endswith("/OrderEnvelope") and code.startswith("2"):
                    answer["links"] = {
                        target[0].upper() + target[1:]: {
                            "operationId": target,
                            "parameters": {"order_id": "$response.body#/data/id"},
                            "description": description,
                        }
                        for target, description in _ORDER_LINKS.items()
                    }
