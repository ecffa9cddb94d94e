"""Every test runs against fake AWS: no real account, no endpoint from the shell."""

import os
from collections.abc import Iterator

import pytest
from orders_api import settings

os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)
os.environ.update(
    AWS_DEFAULT_REGION="eu-west-1",
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    TABLE_NAME="OrdersTable",
    IDEMPOTENCY_TABLE_NAME="IdempotencyTable",
    SIGNING_KEY="test-signing-key",
    POWERTOOLS_LOG_LEVEL="WARNING",
    POWERTOOLS_METRICS_NAMESPACE="OrdersApiTest",
    POWERTOOLS_SERVICE_NAME="orders-api",
)


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Tests set environment variables; each reads them anew, as a new container would."""
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()
