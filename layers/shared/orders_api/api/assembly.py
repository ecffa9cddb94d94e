"""How the generated document is finished: the parameters the entry point handles for every
operation, one named schema per shared enumeration, and links between operations.

Only the document's generator loads this; the functions declare their routes with
orders_api.api.openapi alone.
"""

from __future__ import annotations

import json
import re
from typing import Any, get_args

from pydantic import TypeAdapter

from orders_api.api.openapi import REQUEST_ID, TEXT
from orders_api.api.protocol import HEADER_VALUE, MAX_IF_MATCH_LENGTH, MAX_REQUEST_ID_LENGTH
from orders_api.api.protocol import IDEMPOTENCY_KEY_HEADER as IDEMPOTENCY_KEY
from orders_api.api.protocol import IDEMPOTENCY_KEY_MAX_LENGTH as MAX_KEY_LENGTH
from orders_api.api.protocol import IDEMPOTENT_METHODS as METHODS
from orders_api.domain.base_models import Unit
from orders_api.domain.listing import SortOrder
from orders_api.domain.models import Invitation, InvitationState, Suppression, WriteMode
from orders_api.domain.scalars import Attributes
from orders_api.domain.status import Status

VISIBLE_ASCII = f"^{HEADER_VALUE.pattern}$"

# Request parameters every operation takes.
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
    "schema": TEXT,
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
