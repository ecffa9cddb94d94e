"""HTTP plumbing every API function shares: the resolver, its problem responses,
raw-request checks and the caller's identity from the authorizer.

Checks that must run before Powertools parses the body (size, media type,
encoding) happen in the entry point, ahead of the resolver. Neither pydantic nor the
models: the functions that only read run without them (orders_api.api.wire has what
the routes built on the models share).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.api.json_body import json_body
from orders_api.api.problems import (
    ApiError,
    BadRequest,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    UnsupportedMediaType,
    ValidationFailed,
    from_domain,
    problem_body,
    problem_response,
)
from orders_api.api.protocol import (
    JSON,
    MAX_IF_MATCH_LENGTH,
    MAX_REQUEST_ID_LENGTH,
    PROBLEM_JSON,
    REQUEST_ID_HEADER,
    header,
    is_header_value,
    request_id_of,
)
from orders_api.domain.errors import DomainError
from orders_api.domain.field_errors import field_errors
from orders_api.domain.serialization import dumps
from orders_api.log import logger
from orders_api.startup import ready

MAX_BODY_BYTES = 1024 * 1024
# The deepest a valid body nests is 6 (a batch: orders, an order, its items, an item, its properties);
# a deeper one is refused before anything parses it recursively.
MAX_BODY_DEPTH = 8
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
# (event, context, client id, handler) -> response; orders_api.api.idempotency.run is the one.
Once = Callable[[dict[str, Any], LambdaContext, str, Handler], dict[str, Any]]


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response[str]:
    return json_text_response(status, dumps(payload), headers)


def json_text_response(status: int, body: str, headers: Mapping[str, str] | None = None) -> Response[str]:
    """A body that is JSON text already."""
    return Response(status_code=status, content_type=JSON, body=body, headers=dict(headers or {}))


def build_resolver(*, enable_validation: bool = True) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=enable_validation, json_body_deserializer=json_body)

    def problem(error: ApiError) -> Response[str]:
        request_id = app.context.get("request_id")
        return Response(
            status_code=error.status,
            content_type=PROBLEM_JSON,
            body=dumps(problem_body(error, app.current_event.path, request_id)),
            headers=error.headers,
        )

    @app.exception_handler(ApiError)
    def _api_error(error: ApiError) -> Response[str]:
        return problem(error)

    @app.exception_handler(DomainError)
    def _domain_error(error: DomainError) -> Response[str]:
        return problem(from_domain(error))

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        errors = error.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(BadRequest("The request body is not valid JSON."))
        return problem(ValidationFailed("The request has invalid fields.", errors=field_errors(errors)))

    @app.not_found
    def _not_found(_: Exception) -> Response[str]:
        return problem(NotFound(f"No route {app.current_event.path}."))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return problem(ApiError("An unexpected error occurred. Quote the request id when reporting it."))

    return app


def _check_raw_request(event: dict[str, Any]) -> None:
    """What must be refused before anyone parses the body; a base64 body is decoded in place."""
    query = event.get("queryStringParameters") or {}
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    if "client_id" in query and authorizer.get("client_id") and query["client_id"] != authorizer["client_id"]:
        raise Forbidden("client_id does not match the API key's client.")
    request_id = header(event, REQUEST_ID_HEADER)
    if request_id is not None and not is_header_value(request_id, MAX_REQUEST_ID_LENGTH):
        raise BadRequest(
            f"{REQUEST_ID_HEADER} must be 1 to {MAX_REQUEST_ID_LENGTH} visible ASCII characters."
        )
    body = event.get("body")
    if event.get("httpMethod") in ("GET", "DELETE", "HEAD"):
        return
    if not body:
        # Nothing to read, whatever the media type says: an operation that takes a body finds it missing.
        _handed_on_as_json(event)
        return
    size = len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    content_type = (header(event, "Content-Type") or "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType("Send the body as application/json.")
    _handed_on_as_json(event)
    if event.get("isBase64Encoded"):
        event["body"], event["isBase64Encoded"] = _decoded(body), False
    if _nesting_depth(event["body"]) > MAX_BODY_DEPTH:
        raise BadRequest(f"The request body nests deeper than {MAX_BODY_DEPTH} levels of arrays and objects.")


def _handed_on_as_json(event: dict[str, Any]) -> None:
    """Powertools' validation parses only a media type written "application/json...", case and all, and
    answers any other with an error of its own (a 500). A body taken as JSON above (any case, a +json
    type such as application/merge-patch+json, parameters without a type) or none at all is handed on
    as application/json, under every Content-Type key the event has."""
    for name, value in (("headers", JSON), ("multiValueHeaders", [JSON])):
        headers = event.get(name) or {}
        for key in [key for key in headers if key.lower() == "content-type"]:
            headers[key] = value


def _decoded(body: str) -> str:
    """API Gateway sends a body base64-encoded when it takes it for binary (binary media types, SAM's events)."""
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("The request body must be UTF-8 JSON text.") from None


def _nesting_depth(body: str) -> int:
    """How deep arrays and objects nest, counted without parsing; stops counting past MAX_BODY_DEPTH."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", body)):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_BODY_DEPTH:
                return depth
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _routable_path(event: dict[str, Any]) -> None:
    """Route on the resource template with each parameter percent-encoded.

    Ids may hold '/', '#', spaces or any Unicode; API Gateway has already matched
    the resource and decoded the parameters, so the resolver sees one safe segment
    per parameter and `path_value` decodes it again.
    """
    resource = event.get("resource")
    if not resource or "{" not in resource:
        return
    path = resource
    for name, value in (event.get("pathParameters") or {}).items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    event["path"] = path


def path_value(segment: str) -> str:
    return unquote(segment)


def entrypoint(app: APIGatewayRestResolver, *, idempotent: Once | None = None) -> Handler:
    """The Lambda handler: request id in every log line and on every response.

    idempotent=idempotency.run honours Idempotency-Key on POST and PUT. It is passed in
    rather than imported here, so only the functions that take keys know of it, and only
    their requests that carry a key load Powertools' idempotency utility.
    """

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        request_id = request_id_of(event)
        instance = event.get("path")
        _routable_path(event)
        logger.append_keys(request_id=request_id, path=event.get("resource"), method=event.get("httpMethod"))
        app.append_context(request_id=request_id)
        try:
            _check_raw_request(event)
            client_id = ((event.get("requestContext") or {}).get("authorizer") or {}).get("client_id")
            if idempotent and client_id:
                response = idempotent(event, context, str(client_id), app.resolve)
            else:
                response = app.resolve(event, context)
        except ApiError as error:
            response = problem_response(error, instance, request_id)
        finally:
            app.clear_context()
        if "multiValueHeaders" in response:
            response["multiValueHeaders"]["X-Request-Id"] = [request_id]
        else:
            response.setdefault("headers", {})["X-Request-Id"] = request_id
        logger.info("request done", extra={"status": response.get("statusCode")})
        logger.remove_keys(["request_id", "path", "method"])
        return response

    return ready(handler)


def public_base_url(event: Mapping[str, Any]) -> str | None:
    """The API's root URL as the caller reached it behind API Gateway: its domain, and the stage or
    base path in front of the resource path. None when no gateway domain is known (the local runtime).
    """
    context = event.get("requestContext") or {}
    domain = context.get("domainName")
    if not domain:
        return None
    path = str(event.get("path") or "")
    full = str(context.get("path") or path)
    prefix = full[: len(full) - len(path)] if path and full.endswith(path) else ""
    return f"{header(event, 'X-Forwarded-Proto') or 'https'}://{domain}{prefix}"


def caller_id(app: BaseRouter) -> str:
    """The calling client, as the authorizer established it; never read from the request."""
    client_id = authorizer_context(app).get("client_id")
    if not client_id:
        raise Forbidden("No client is bound to this request.")
    return str(client_id)


def authorizer_context(app: BaseRouter) -> dict[str, Any]:
    """What the authorizer handed on: the client's id and its settings as stored (JSON)."""
    context: dict[str, Any] = (app.current_event.raw_event.get("requestContext") or {}).get(
        "authorizer"
    ) or {}
    return context


def if_match(app: BaseRouter) -> int | None:
    """The version named by If-Match; '*' means any existing version."""
    value = app.current_event.headers.get("If-Match") or app.current_event.headers.get("if-match")
    if value is None or value.strip() == "*":
        return None
    if not is_header_value(value, MAX_IF_MATCH_LENGTH):
        raise BadRequest(f"If-Match must be 1 to {MAX_IF_MATCH_LENGTH} visible ASCII characters.")
    tag = value.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    if not tag.isdigit():
        raise PreconditionFailed(f"If-Match {value!r} names no version of this resource.")
    return int(tag)
