"""AWS clients, built once per container and reused across invocations.

boto3 reads AWS_ENDPOINT_URL itself, which is how the local runtime points every
client at its embedded endpoint.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

# At least the widest fan-out of one invocation (the erasure's 16 parallel writes): past the pool's size
# (botocore's default is 10) each further thread opens a connection and drops it after its call.
MAX_POOL_CONNECTIONS = 16

_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"max_attempts": 3, "mode": "standard"},
    tcp_keepalive=True,
    max_pool_connections=MAX_POOL_CONNECTIONS,
)


@cache
def dynamodb() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_CONFIG)


@cache
def sesv2() -> SESV2Client:
    return boto3.client("sesv2", config=_CONFIG)


@cache
def events() -> EventBridgeClient:
    return boto3.client("events", config=_CONFIG)


@cache
def sqs() -> SQSClient:
    return boto3.client("sqs", config=_CONFIG)


@cache
def kms() -> KMSClient:
    return boto3.client("kms", config=_CONFIG)
