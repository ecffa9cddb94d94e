"""Problem answers where API Gateway has no route: 405 with Allow, or 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orders_api.api.endpoints import allowed_methods
from orders_api.api.problems import MethodNotAllowed, NotFound, problem_response
from orders_api.api.protocol import request_id_of

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# The template's catch-all resource: every path that matches no resource of the API.
UNKNOWN_PATHS = "/{proxy+}"
_ALLOWED = allowed_methods()


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request_id = request_id_of(event)
    resource = str(event.get("resource"))
    methods = None if resource == UNKNOWN_PATHS else _ALLOWED.get(resource)
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
