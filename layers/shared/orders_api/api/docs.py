"""The docs function: the OpenAPI document as committed, and Swagger UI showing it.

The document is generated from the routes and their models (orders_api.api.document) and
committed next to this module (the repository's openapi.json links here), and a test keeps it
equal to the generated one. So the function loads no route, no model and no pydantic to answer it.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.problems import ValidationFailed
from orders_api.api.protocol import HTML, JSON
from orders_api.api.resolver import build_resolver, public_base_url
from orders_api.domain.field_errors import FieldError
from orders_api.domain.serialization import dumps

DOCUMENT_FILE = Path(__file__).with_name("openapi.json")

router = APIGatewayRouter()


@router.get(endpoints.OPENAPI_DOCUMENT.rule)
def openapi_json() -> Response[str]:
    return Response(200, JSON, served_document(public_base_url(router.current_event.raw_event)))


@router.get(endpoints.SWAGGER_UI.rule)
def swagger() -> Response[str]:
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


@cache
def committed_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT_FILE.read_text(encoding="utf-8"))
    return document


@lru_cache(maxsize=8)
def served_document(base_url: str | None) -> str:
    """The document with `servers` naming where it was read from, so "Try it out" keeps the stage."""
    if base_url is None:
        return dumps(committed_document())
    return dumps({**committed_document(), "servers": [{"url": base_url}]})


@lru_cache(maxsize=8)
def swagger_page(base_url: str | None = None) -> str:
    """Swagger UI with its script, styles and this document inline: 1.5 MB, built once per container.

    Powertools' Swagger UI package loads pydantic (its OAuth2 settings are a model), so it is loaded
    by the first request for the page; requests for the document alone never load it.
    """
    from aws_lambda_powertools.event_handler.openapi import swagger_ui  # noqa: PLC0415 - see above

    assets = Path(swagger_ui.__file__).parent
    return swagger_ui.generate_swagger_html(
        served_document(base_url).replace("</", "<\\/"),
        (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        swagger_base_url="",
        oauth2_config=None,
    )


@cache
def build_docs_resolver() -> APIGatewayRestResolver:
    """Only ever sent the two docs paths."""
    app = build_resolver(enable_validation=False)
    app.include_router(router)
    return app


if __name__ == "__main__":
    # Generating needs every route and model: imported here, never by the docs function.
    from orders_api.api.document import main

    main()
