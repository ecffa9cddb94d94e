"""API Gateway's REST API in-process: a request in, the response API Gateway would give out.

It chooses the template's route, runs the authorizer, builds the REST proxy event,
invokes the function and maps its proxy result to the response, with the gateway
responses the template configures. Handlers get the same proxy events, authorizer
context and gateway responses as when deployed, so what works locally works behind
API Gateway, and a route or authorizer change in template.yaml needs no change here.
`make run` serves it over a socket (server.py); the handler tests call it directly.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from orders_local.routing import RouteMatch, match_route
from orders_local.runtime import ACCOUNT_ID, FunctionRuntime
from orders_local.template import Authorizer, GatewayResponse, Template, literal

API_ID = "local"

# API Gateway's own status and message for each response type the emulator produces.
_BUILTIN_RESPONSES: dict[str, tuple[int, str]] = {
    "UNAUTHORIZED": (401, "Unauthorized"),
    "ACCESS_DENIED": (403, "User is not authorized to access this resource"),
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "REQUEST_TOO_LARGE": (413, "Request Too Long"),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, "Internal server error"),
    "DEFAULT_4XX": (400, "Bad Request"),
    "DEFAULT_5XX": (502, "Internal server error"),
}
_DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'
_CONTEXT_VARIABLE = re.compile(r"\$context\.([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in reversed(self.headers) if k.lower() == wanted), None)


@dataclass(frozen=True)
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class ApiGateway:
    def __init__(self, template: Template, runtime: FunctionRuntime) -> None:
        self.template = template
        self.runtime = runtime

    def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        return with_request_id(self._api(request, request_id), request, request_id)

    def refuse(self, request: Request, kind: str, status: int | None = None) -> Response:
        """A gateway response for a request that never reaches routing (too large, unreadable)."""
        request_id = str(uuid.uuid4())
        return with_request_id(self._gateway_response(kind, request, request_id, status), request, request_id)

    # the API

    def _api(self, request: Request, request_id: str) -> Response:
        match = match_route(self.template.routes, request.method, request.path)
        if match is None:
            return self._gateway_response("MISSING_AUTHENTICATION_TOKEN", request, request_id)
        event = self._proxy_event(request, match, request_id)
        if match.route.authorizer is not None:
            outcome = self._authorize(self.template.authorizers[match.route.authorizer], request, event)
            if isinstance(outcome, str):
                return self._gateway_response(outcome, request, request_id)
            event["requestContext"]["authorizer"] = outcome
        try:
            result = self.runtime.invoke(match.route.function, event)
        except Exception:
            logger.exception("%s raised", match.route.function)
            return self._gateway_response("DEFAULT_5XX", request, request_id, 502)
        response = _proxy_response(result)
        if response is None:
            logger.error("%s returned a malformed proxy response: %.500r", match.route.function, result)
            return self._gateway_response("DEFAULT_5XX", request, request_id, 502)
        return response

    def _proxy_event(self, request: Request, match: RouteMatch, request_id: str) -> dict[str, Any]:
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers:
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query: dict[str, str] = {}
        multi_query: dict[str, list[str]] = {}
        for name, value in parse_qsl(request.query, keep_blank_values=True):
            query[name] = value
            multi_query.setdefault(name, []).append(value)
        body: str | None = None
        is_base64 = False
        if request.body:
            try:
                body = request.body.decode("utf-8")
            except UnicodeDecodeError:
                body, is_base64 = base64.b64encode(request.body).decode("ascii"), True
        now = datetime.now(UTC)
        return {
            "resource": match.route.path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": headers or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": match.path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "resourceId": API_ID,
                "resourcePath": match.route.path,
                "httpMethod": request.method,
                "path": request.path,
                "stage": self.template.stage,
                "protocol": "HTTP/1.1",
                "requestId": request_id,
                "extendedRequestId": request_id,
                "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "requestTimeEpoch": int(now.timestamp() * 1000),
                "accountId": ACCOUNT_ID,
                "apiId": API_ID,
                "identity": {"sourceIp": request.source_ip, "userAgent": request.header("User-Agent")},
                "authorizer": None,
            },
            "body": body,
            "isBase64Encoded": is_base64,
        }

    def _authorize(
        self, authorizer: Authorizer, request: Request, event: dict[str, Any]
    ) -> dict[str, Any] | str:
        """The authorizer's context for the request, or the gateway response type that refuses it.

        Nothing is cached, unlike API Gateway, so a revoked key stops working at once.
        """
        if any(not request.header(name) for name in authorizer.identity_headers):
            return "UNAUTHORIZED"
        method_arn = (
            f"arn:aws:execute-api:{self.runtime.region}:{ACCOUNT_ID}:{API_ID}/{self.template.stage}/"
            f"{request.method}/{request.path.removeprefix('/')}"
        )
        authorizer_event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            **{
                key: event[key]
                for key in (
                    "resource",
                    "path",
                    "httpMethod",
                    "headers",
                    "multiValueHeaders",
                    "queryStringParameters",
                    "multiValueQueryStringParameters",
                    "pathParameters",
                    "stageVariables",
                )
            },
            "requestContext": {k: v for k, v in event["requestContext"].items() if k != "authorizer"},
        }
        try:
            result = self.runtime.invoke(authorizer.function, authorizer_event)
        except Exception as error:
            if str(error) == "Unauthorized":
                return "UNAUTHORIZED"
            logger.exception("authorizer %s raised", authorizer.function)
            return "AUTHORIZER_CONFIGURATION_ERROR"
        return _authorizer_decision(result, method_arn)

    def _gateway_response(
        self, kind: str, request: Request, request_id: str, status: int | None = None
    ) -> Response:
        """Renders a gateway response as configured in the template, else as API Gateway's default.

        A type the template does not configure takes DEFAULT_4XX or DEFAULT_5XX, as in API Gateway.
        """
        default_status, message = _BUILTIN_RESPONSES[kind]
        own = self.template.gateway_responses.get(kind)
        config: GatewayResponse | None = own or self.template.gateway_responses.get(
            "DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX"
        )
        templates = config.templates if config else {}
        content_type = (
            "application/json" if "application/json" in templates or not templates else next(iter(templates))
        )
        body_template = templates.get(content_type, _DEFAULT_TEMPLATE)
        headers = dict(config.headers) if config else {}
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = content_type
        variables = {
            "path": request.path,
            "requestId": request_id,
            "httpMethod": request.method,
            "stage": self.template.stage,
            "error.message": message,
        }

        def substitute(found: re.Match[str]) -> str:
            name = found.group(1)
            if name == "error.messageString":
                return json.dumps(message)
            return json.dumps(variables.get(name, ""))[1:-1]

        return Response(
            status=(own.status if own else None) or status or default_status,
            headers=list(headers.items()),
            body=_CONTEXT_VARIABLE.sub(substitute, body_template).encode("utf-8"),
        )


def _header_value(name: Any, value: Any) -> str | None:
    text = literal(value)
    if not isinstance(name, str) or text is None or any(c in name + text for c in "\r\n"):
        return None
    return text


def _proxy_response(result: Any) -> Response | None:
    """The HTTP response a Lambda proxy result describes, or None when API Gateway would reject it."""
    if not isinstance(result, dict):
        return None
    status = result.get("statusCode")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        return None
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        return None
    headers: list[tuple[str, str]] = []
    in_multi = {str(name).lower() for name in multi}
    for name, value in single.items():
        text = _header_value(name, value)
        if text is None:
            return None
        if name.lower() not in in_multi:
            headers.append((name, text))
    for name, values in multi.items():
        if not isinstance(values, list):
            return None
        for value in values:
            text = _header_value(name, value)
            if text is None:
                return None
            headers.append((name, text))
    body = result.get("body")
    if body is None:
        return Response(status, headers, b"")
    if not isinstance(body, str):
        return None
    try:
        data = (
            base64.b64decode(body, validate=True) if result.get("isBase64Encoded") else body.encode("utf-8")
        )
    except (binascii.Error, UnicodeEncodeError):
        return None
    return Response(status, headers, data)


def _wildcard(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _matches_any(patterns: Any, value: str, *, ignore_case: bool = False) -> bool:
    listed = [patterns] if isinstance(patterns, str) else patterns if isinstance(patterns, list) else []
    fold: Callable[[str], str] = str.lower if ignore_case else str
    return any(isinstance(p, str) and _wildcard(fold(p), fold(value)) for p in listed)


def _authorizer_decision(result: Any, method_arn: str) -> dict[str, Any] | str:
    """Evaluates the returned policy for this method, as API Gateway does: an explicit Deny wins."""
    if not isinstance(result, dict) or not isinstance(result.get("principalId"), str):
        return "AUTHORIZER_CONFIGURATION_ERROR"
    document = result.get("policyDocument")
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
        return "AUTHORIZER_CONFIGURATION_ERROR"
    effects = {
        statement.get("Effect")
        for statement in statements
        if _matches_any(statement.get("Action"), "execute-api:Invoke", ignore_case=True)
        and _matches_any(statement.get("Resource"), method_arn)
    }
    if "Deny" in effects or "Allow" not in effects:
        return "ACCESS_DENIED"
    context = result.get("context") or {}
    if not isinstance(context, dict):
        return "AUTHORIZER_CONFIGURATION_ERROR"
    values = {str(key): literal(value) for key, value in context.items()}
    if any(value is None for value in values.values()):
        return "AUTHORIZER_CONFIGURATION_ERROR"
    return {**values, "principalId": result["principalId"], "integrationLatency": 0}


def with_request_id(response: Response, request: Request, request_id: str) -> Response:
    """Every response names its request: the caller's X-Request-Id when usable, else the gateway's id."""
    if any(name.lower() == "x-request-id" for name, _ in response.headers):
        return response
    given = request.header("X-Request-Id")
    value = given if given and len(given) <= 200 and given.isprintable() else request_id
    return replace(response, headers=[*response.headers, ("X-Request-Id", value)])
