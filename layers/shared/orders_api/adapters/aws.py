"""AWS clients, built once per container and reused across invocations.

boto3 reads AWS_ENDPOINT_URL itself, which is how the local runtime points every
client at its embedded endpoint. A client is safe to share between threads, the
session that builds it is not: clients are built one at a time, and each keeps as
many connections as the mailer has workers. Two threads asking for a client not
yet built may both build one; the first caller then uses a client the cache
does not keep, which is harmless.

Every function that calls AWS imports this module first, so boto3 loads near the top of
the import chain, as in a bare handler. Loaded deep in the chain, CPython's frame stack
can sit at a 16 KB chunk boundary while urllib3 compiles its regular expressions, and the
chunk is then mapped and unmapped at every call: thousands of times, up to about 20 ms of
a cold start (README, Performance).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from orders_api import settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

_BUILDING = threading.Lock()
# At least the widest fan-out of one invocation, the erasure's 16 parallel writes or the mailer's workers:
# past the pool's size (botocore's default is 10) each further thread opens a connection and drops it.
MIN_CONNECTIONS = 16


def _config() -> Config:
    return Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"max_attempts": 3, "mode": "standard"},
        tcp_keepalive=True,
        max_pool_connections=max(MIN_CONNECTIONS, settings.current().mailer_workers),
    )


@cache
def dynamodb() -> DynamoDBClient:
    with _BUILDING:
        return boto3.client("dynamodb", config=_config())


@cache
def sesv2() -> SESV2Client:
    with _BUILDING:
        return boto3.client("sesv2", config=_config())


@cache
def events() -> EventBridgeClient:
    with _BUILDING:
        return boto3.client("events", config=_config())


@cache
def sqs() -> SQSClient:
    with _BUILDING:
        return boto3.client("sqs", config=_config())


@cache
def kms() -> KMSClient:
    with _BUILDING:
        return boto3.client("kms", config=_config())


@cache
def secretsmanager() -> SecretsManagerClient:
    with _BUILDING:
        return boto3.client("secretsmanager", config=_config())
