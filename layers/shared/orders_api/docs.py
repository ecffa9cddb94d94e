"""The OpenAPI document and Swagger UI, generated from the routes and their models."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.models import HTTPBase, SecurityScheme

from orders_api.http import build_resolver
from orders_api.routes import routers
from orders_api.wire import JSON, dumps

DOCUMENT: dict[str, Any] = {
    "title": "Orders API",
    "version": "1.0.0",
    "description": (
        "Orders from webshops, their status, and review invitations after delivery. "
        "Authenticate with `Authorization: Bearer <key>`, or HTTP Basic with the key as user name "
        "and an empty password. Errors are RFC 9457 problem documents."
    ),
}
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "apiKey": HTTPBase(scheme="bearer", description="Authorization: Bearer <key>"),
    "basicAuth": HTTPBase(scheme="basic", description="The key as user name, empty password"),
}


def build_docs_resolver() -> APIGatewayRestResolver:
    """Knows every route (for the document) but is only ever sent the two docs paths."""
    app = build_resolver()
    for router in routers():
        app.include_router(router)

    @app.get("/v1/openapi.json", include_in_schema=False)
    def openapi_json() -> Response[str]:
        return Response(200, JSON, dumps(openapi_document(app)))

    app.enable_swagger(path="/v1/docs", security_schemes=SECURITY_SCHEMES, **DOCUMENT)
    return app


@cache
def _document(app: APIGatewayRestResolver) -> dict[str, Any]:
    schema = app.get_openapi_schema(security_schemes=SECURITY_SCHEMES, **DOCUMENT)
    document: dict[str, Any] = schema.model_dump(mode="json", by_alias=True, exclude_none=True)
    return document


def openapi_document(app: APIGatewayRestResolver | None = None) -> dict[str, Any]:
    return _document(app or build_docs_resolver())


if __name__ == "__main__":
    print(json.dumps(openapi_document(), indent=2, ensure_ascii=False))
