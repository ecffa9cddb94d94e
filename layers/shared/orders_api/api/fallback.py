"""Problem answers where API Gateway has no route: 405 with Allow, or 404."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from orders_api.api.protocol import problem_response, request_id_of
from orders_api.domain.errors import MethodNotAllowed, NotFound

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# The template's catch-all resource: every path that matches no resource of the API.
UNKNOWN_PATHS = "/{proxy+}"
_PARAMETER = re.compile(r"<(\w+)>")


@cache
def allowed_methods() -> dict[str, list[str]]:
    """Resource path -> methods, read from the routes themselves so it cannot drift.

    Importing every route costs as much as an API function's cold start, so it is done
    only for a known resource asked with a method it lacks. Unknown paths, most of what
    reaches this function and unauthenticated, are answered without it.
    """
    from orders_api.api.routes import routers  # noqa: PLC0415 - see the docstring

    table: dict[str, set[str]] = {}
    for router in routers():
        for rule, methods, *_ in router._routes:
            table.setdefault(_PARAMETER.sub(r"{\1}", rule), set()).update(methods)
    return {path: sorted(methods) for path, methods in table.items()}


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request_id = request_id_of(event)
    resource = str(event.get("resource"))
    methods = None if resource == UNKNOWN_PATHS else allowed_methods().get(resource)
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
