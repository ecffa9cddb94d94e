"""The OpenAPI document and Swagger UI, generated from the routes and their models."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi import swagger_ui
from aws_lambda_powertools.event_handler.openapi.models import Contact, HTTPBase, License, SecurityScheme, Tag
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import (
    add_links,
    add_request_parameters,
    drop_unused_schemas,
    name_shared_schemas,
    responses,
    success,
)
from orders_api.api.problems import ValidationFailed
from orders_api.api.protocol import HTML, JSON
from orders_api.api.resolver import build_resolver, public_base_url
from orders_api.api.routes import routers
from orders_api.domain.field_errors import FieldError
from orders_api.domain.serialization import dumps

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
_SWAGGER_UI = Path(swagger_ui.__file__).parent


router = APIGatewayRouter()


@router.get(
    endpoints.OPENAPI_DOCUMENT.rule,
    operation_id="getOpenApiDocument",
    summary="This OpenAPI document",
    description="Needs no API key. Behind API Gateway, `servers` names the URL the document was read from.",
    responses=responses({200: success({"type": "object"})}, secured=False),
    tags=["documentation"],
)
def openapi_json() -> Response[str]:
    return Response(200, JSON, served_document(public_base_url(router.current_event.raw_event)))


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
def swagger(
    format: Annotated[Literal["json"] | None, Query(description="json: the OpenAPI document")] = None,
) -> Response[str]:
    # The docs resolver runs without validation, which also means no parameter is passed in.
    wanted = router.current_event.get_query_string_value("format")
    if wanted not in (None, "json"):
        raise ValidationFailed(
            "format must be json.", errors=[FieldError(field="format", message="must be json")]
        )
    base_url = public_base_url(router.current_event.raw_event)
    if wanted == "json":
        return Response(200, JSON, served_document(base_url))
    return Response(200, HTML, swagger_page(base_url))


@lru_cache(maxsize=8)
def served_document(base_url: str | None) -> str:
    """The document with `servers` naming where it was read from, so "Try it out" keeps the stage."""
    if base_url is None:
        return dumps(openapi_document())
    return dumps({**openapi_document(), "servers": [{"url": base_url}]})


@lru_cache(maxsize=8)
def swagger_page(base_url: str | None = None) -> str:
    """Swagger UI with its script, styles and this document inline: 1.5 MB, built once per container."""
    return generate_swagger_html(
        served_document(base_url).replace("</", "<\\/"),
        (_SWAGGER_UI / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (_SWAGGER_UI / "swagger-ui.min.css").read_text(encoding="utf-8"),
        swagger_base_url="",
        oauth2_config=None,
    )


@cache
def build_docs_resolver() -> APIGatewayRestResolver:
    """Knows every route (for the document) but is only ever sent the two docs paths.

    Without validation Powertools declares no 422 of its own: each route lists its 422s.
    """
    app = build_resolver(enable_validation=False)
    for each in [*routers(), router]:
        app.include_router(each)
    return app


@cache
def openapi_document() -> dict[str, Any]:
    schema = build_docs_resolver().get_openapi_schema(
        security_schemes=SECURITY_SCHEMES, tags=TAGS, contact=CONTACT, license_info=LICENSE, **DOCUMENT
    )
    document: dict[str, Any] = schema.model_dump(mode="json", by_alias=True, exclude_none=True)
    add_request_parameters(document)
    name_shared_schemas(document)
    add_links(document)
    drop_unused_schemas(document)
    return document


if __name__ == "__main__":
    print(json.dumps(openapi_document(), indent=2, ensure_ascii=False))
