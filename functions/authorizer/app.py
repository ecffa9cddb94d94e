"""Lambda REQUEST authorizer: API key in, client id and settings out."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from orders_api.auth import authorize


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize(event)
