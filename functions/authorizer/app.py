"""Lambda REQUEST authorizer: API key in, client id and settings out.

It runs before every request API Gateway has not cached, so it loads no more than boto3
and the registry: no Powertools, no pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.authorizer import authorize
from orders_api.startup import ready

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@ready
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize(event)
