"""The OpenAPI document, generated from every route and its models.

`python -m orders_api.api.docs > openapi.json` writes it (the root openapi.json links to
orders_api/api/openapi.json); the docs function serves that file as committed, so it loads
neither the routes nor the models.
The docs routes' declarations are here, each handing on to its route in orders_api.api.docs.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.models import Contact, HTTPBase, License, SecurityScheme, Tag
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import docs, endpoints
from orders_api.api.assembly import (
    add_links,
    add_request_parameters,
    drop_unused_schemas,
    name_shared_schemas,
)
from orders_api.api.openapi import responses, success
from orders_api.api.resolver import build_resolver
from orders_api.api.routes import routers

DOCUMENT: dict[str, Any] = {
    "title": "Orders API",
    "version": "1.0.0",
    "description": (
        "Orders from webshops, their status, and review invitations after delivery. "
        "Authenticate with `Authorization: Bearer <key>`, or HTTP Basic with the key as user name "
        "and an empty password. Errors are RFC 9457 problem documents (`application/problem+json`); "
        "an unknown path is a 404, a method a path does not offer a 405 with an `Allow` header. "
        "Every response carries `X-Request-Id`."
    ),
}
TAGS: list[Tag | str] = [
    Tag(name="orders", description="Create, update, read, list, move and delete the shop's orders"),
    Tag(
        name="customers",
        description="Customers as the orders name them, their opt-out and suppression, erasure, and unsubscribing",
    ),
    Tag(
        name="templates",
        description="The shop's own email templates per kind and language, and email previews",
    ),
    Tag(name="webhooks", description="Signed deliveries of the API's events to the shop's own endpoints"),
    Tag(name="documentation", description="This document and Swagger UI; no API key needed"),
]
CONTACT = Contact(name="Orders API support", url="https://orders-api.example.com/support")
LICENSE = License(name="Proprietary: for the API's clients", url="https://orders-api.example.com/terms")
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "apiKey": HTTPBase(scheme="bearer", description="Authorization: Bearer <key>"),
    "basicAuth": HTTPBase(scheme="basic", description="The key as user name, empty password"),
}

router = APIGatewayRouter()


@router.get(
    endpoints.OPENAPI_DOCUMENT.rule,
    operation_id="getOpenApiDocument",
    summary="This OpenAPI document",
    description="Needs no API key. Behind API Gateway, `servers` names the URL the document was read from.",
    responses=responses({200: success({"type": "object"})}, secured=False),
    tags=["documentation"],
)
def openapi_json_operation() -> Response[str]:
    return docs.openapi_json()


_SWAGGER_PAGE = success({"type": "string"}, media_type="text/html")
_SWAGGER_PAGE["content"].update(success({"type": "object"})["content"])


@router.get(
    endpoints.SWAGGER_UI.rule,
    operation_id="getSwaggerUi",
    summary="Swagger UI for this document",
    description="Needs no API key. With format=json, this document (Swagger UI links to it so).",
    responses=responses({200: _SWAGGER_PAGE}, 422, secured=False),
    tags=["documentation"],
)
def swagger_operation(
    format: Annotated[Literal["json"] | None, Query(description="json: the OpenAPI document")] = None,
) -> Response[str]:
    return docs.swagger()


@cache
def documented_resolver() -> APIGatewayRestResolver:
    """Every route as the document declares it. Without validation Powertools declares no 422 of its
    own: each route lists its 422s."""
    app = build_resolver(enable_validation=False)
    for each in [*routers(), router]:
        app.include_router(each)
    return app


@cache
def openapi_document() -> dict[str, Any]:
    schema = documented_resolver().get_openapi_schema(
        security_schemes=SECURITY_SCHEMES, tags=TAGS, contact=CONTACT, license_info=LICENSE, **DOCUMENT
    )
    document: dict[str, Any] = schema.model_dump(mode="json", by_alias=True, exclude_none=True)
    add_request_parameters(document)
    name_shared_schemas(document)
    add_links(document)
    drop_unused_schemas(document)
    return document


def main() -> None:
    print(json.dumps(openapi_document(), indent=2, ensure_ascii=False))
