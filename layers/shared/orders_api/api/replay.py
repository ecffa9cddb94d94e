"""One keyed request through Powertools' idempotency utility: run once, replayed after.

Loaded by orders_api.api.idempotency on the first request that carries an Idempotency-Key,
so requests without one never load the utility.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api import settings
from orders_api.adapters import aws
from orders_api.api.problems import Conflict, ValidationFailed
from orders_api.api.protocol import IDEMPOTENCY_KEY_HEADER as HEADER
from orders_api.api.protocol import header
from orders_api.domain.field_errors import FieldError

EXPIRY_SECONDS = 24 * 60 * 60


class _ServerError(Exception):
    """Carries a 5xx response out of the idempotent call, so it is not stored."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__("server error")
        self.response = response


def _mark_replayed(response: Any, idempotent_data: DataRecord) -> Any:
    if isinstance(response, dict):
        response = {**response, "headers": {**(response.get("headers") or {}), "Idempotent-Replayed": "true"}}
    return response


_CONFIG = IdempotencyConfig(
    event_key_jmespath="key",
    payload_validation_jmespath="payload",
    expires_after_seconds=EXPIRY_SECONDS,
    response_hook=_mark_replayed,
)


@cache
def _persistence() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=settings.current().idempotency_table,
        boto3_client=aws.dynamodb(),
    )


def once(
    event: dict[str, Any],
    context: LambdaContext,
    key: str,
    handle: Callable[[dict[str, Any], LambdaContext], dict[str, Any]],
) -> dict[str, Any]:
    """Calls handle(event, context) at most once per key (the client's and the caller's) within 24 hours."""

    @idempotent_function(
        data_keyword_argument="request",
        persistence_store=_persistence(),
        config=_CONFIG,
        key_prefix="orders-api",
    )
    def run_once(request: dict[str, Any]) -> dict[str, Any]:
        response = handle(event, context)
        if int(response.get("statusCode", 500)) >= 500:
            raise _ServerError(response)
        return response

    _CONFIG.register_lambda_context(context)
    request = {
        "key": key,
        "payload": {
            "method": event.get("httpMethod"),
            "path": event.get("path"),
            "query": event.get("queryStringParameters"),
            "body": event.get("body"),
            "if_match": header(event, "If-Match"),
        },
    }
    try:
        replayed: dict[str, Any] = run_once(request=request)
    except _ServerError as error:
        return error.response
    except IdempotencyValidationError as error:
        raise ValidationFailed(
            f"This {HEADER} was used with a different request.",
            errors=[FieldError(field=HEADER, message="already used with a different request body")],
        ) from error
    except IdempotencyAlreadyInProgressError as error:
        raise Conflict(f"A request with this {HEADER} is still in progress; retry later.") from error
    return replayed
