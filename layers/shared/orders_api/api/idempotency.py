"""Idempotency-Key support on POST and PUT, built on Powertools' idempotency utility.

The key is scoped to the client; the method, path, query and body are the payload
checked on replay, so reusing a key for another request is a 422. Responses of
5xx are not remembered: the caller's retry runs again. The utility itself
(orders_api.api.replay) is loaded by the first request that carries a key: a
container whose requests carry none never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from orders_api.api.problems import ValidationFailed
from orders_api.api.protocol import IDEMPOTENCY_KEY_HEADER as HEADER
from orders_api.api.protocol import IDEMPOTENCY_KEY_MAX_LENGTH as MAX_KEY_LENGTH
from orders_api.api.protocol import IDEMPOTENT_METHODS as METHODS
from orders_api.api.protocol import header, is_header_value
from orders_api.domain.field_errors import FieldError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


def run(
    event: dict[str, Any],
    context: LambdaContext,
    client_id: str,
    handle: Callable[[dict[str, Any], LambdaContext], dict[str, Any]],
) -> dict[str, Any]:
    """Calls handle(event, context) at most once per (client, Idempotency-Key) within 24 hours."""
    key = header(event, HEADER)
    if key is None or event.get("httpMethod") not in METHODS:
        return handle(event, context)
    if not is_header_value(key, MAX_KEY_LENGTH):
        raise ValidationFailed(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
            errors=[
                FieldError(field=HEADER, message=f"must be 1 to {MAX_KEY_LENGTH} visible ASCII characters")
            ],
        )
    from orders_api.api import replay  # noqa: PLC0415 - Powertools' idempotency, on the first keyed request

    return replay.once(event, context, f"{client_id}#{key}", handle)
