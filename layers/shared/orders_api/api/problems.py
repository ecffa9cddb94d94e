"""RFC 9457 problem documents: each problem type, and which one every domain error is.

Neither Powertools nor pydantic, so the fallback function answers with this alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from orders_api import settings
from orders_api.api.protocol import PROBLEM_JSON
from orders_api.domain import errors as domain
from orders_api.domain.serialization import dumps

if TYPE_CHECKING:
    from orders_api.domain.field_errors import FieldError


class ApiError(Exception):
    """An answer that is an error: its problem type, status and the headers that go with it."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        allowed: Sequence[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.allowed = list(allowed) if allowed is not None else None
        self.headers = headers or {}


class BadRequest(ApiError):
    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(ApiError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(ApiError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(ApiError):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(ApiError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class Conflict(ApiError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(ApiError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(ApiError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(ApiError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(ApiError):
    status, slug, title = 422, "validation-error", "Validation failed"


class Unfinished(ApiError):
    """A 5xx, so a retry with the same Idempotency-Key runs again (5xx answers are not remembered)."""

    status, slug, title = 503, "unfinished", "Not finished in time"


_PROBLEM_OF: dict[type[domain.DomainError], type[ApiError]] = {
    domain.Unreadable: BadRequest,
    domain.NotFound: NotFound,
    domain.Conflict: Conflict,
    domain.StaleVersion: PreconditionFailed,
    domain.TooLarge: PayloadTooLarge,
    domain.Invalid: ValidationFailed,
    domain.Unfinished: Unfinished,
}
# Seconds to wait before sending an unfinished request again: nothing is busy, the rest can start at once.
RETRY_UNFINISHED_AFTER = "1"


def from_domain(error: domain.DomainError) -> ApiError:
    problem = next((_PROBLEM_OF[kind] for kind in type(error).__mro__ if kind in _PROBLEM_OF), ApiError)
    headers = {}
    if isinstance(error, domain.StaleVersion) and error.current_version is not None:
        headers["ETag"] = f'"{error.current_version}"'
    if isinstance(error, domain.Unfinished):
        headers["Retry-After"] = RETRY_UNFINISHED_AFTER
    return problem(error.detail, errors=error.errors, allowed=error.allowed, headers=headers)


def problem_body(error: ApiError, instance: str | None, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": settings.current().problem_type_base + error.slug,
        "title": error.title,
        "status": error.status,
        "detail": error.detail or error.title,
        "instance": instance,
    }
    if error.errors is not None:
        body["errors"] = [e.shown() for e in error.errors]
    if error.allowed is not None:
        body["allowed"] = error.allowed
    if request_id:
        body["request_id"] = request_id
    return body


def problem_response(error: ApiError, instance: str | None, request_id: str | None) -> dict[str, Any]:
    """A complete API Gateway proxy response, for errors raised outside the resolver."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON, **error.headers},
        "body": dumps(problem_body(error, instance, request_id)),
        "isBase64Encoded": False,
    }
