"""Problem answers where API Gateway has no route: 405 with Allow, or 404."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.errors import MethodNotAllowed, NotFound
from orders_api.http import problem_response, request_id_of
from orders_api.routes import routers

_PARAMETER = re.compile(r"<(\w+)>")


@cache
def allowed_methods() -> dict[str, list[str]]:
    """Resource path -> methods, read from the routes themselves so it cannot drift."""
    table: dict[str, set[str]] = {}
    for router in routers():
        for rule, methods, *_ in router._routes:
            table.setdefault(_PARAMETER.sub(r"{\1}", rule), set()).update(methods)
    return {path: sorted(methods) for path, methods in table.items()}


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request_id = request_id_of(event)
    methods = allowed_methods().get(str(event.get("resource")))
    if methods:
        error: MethodNotAllowed | NotFound = MethodNotAllowed(
            f"{event.get('httpMethod')} is not allowed here; use {', '.join(methods)}.",
            headers={"Allow": ", ".join(methods)},
        )
    else:
        error = NotFound(f"No route {event.get('path')}.")
    response = problem_response(error, event.get("path"), request_id)
    response["headers"]["X-Request-Id"] = request_id
    return response
