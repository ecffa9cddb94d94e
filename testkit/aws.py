"""moto with the template's tables, as the handler tests and the benchmarks use it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from moto import mock_aws
from moto.core.models import botocore_stubber
from orders_api import settings
from orders_api.adapters import aws as aws_clients
from orders_api.adapters import ses
from orders_local.resources import create_resources
from orders_local.template import create_tables

from testkit.functions import TEMPLATE, handling

SENDER = TEMPLATE.parameters.get("DefaultSenderEmail", "reviews@example.com")
# What GetAccount answers in fake AWS unless a test says otherwise: fast enough never to slow a test.
SEND_RATE = 1000.0


@contextmanager
def fake_aws() -> Iterator[None]:
    """moto with the template's tables, queues, bus and keys, the default sender verified in SES,
    its requests handled one at a time and SES's GetAccount answered (see ses_account)."""
    with mock_aws(), one_request_at_a_time(), get_account_answered(), ses_account(SEND_RATE):
        create_tables(boto3.client("dynamodb"), TEMPLATE)
        create_resources(TEMPLATE)
        settings.reload()
        boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
        yield


@contextmanager
def one_request_at_a_time() -> Iterator[None]:
    """DynamoDB applies each request as one (a conditional write checks and writes at once); moto does
    not when threads share it, so its requests are handled one after the other."""
    lock = threading.RLock()
    handle = botocore_stubber.process_request

    def handle_alone(request: Any) -> Any:
        with lock:
            return handle(request)

    botocore_stubber.process_request = handle_alone  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore_stubber.process_request = handle  # type: ignore[method-assign]


# The MaxSendRate GetAccount answers: the innermost ses_account's.
_send_rates: list[float] = []


@contextmanager
def get_account_answered() -> Iterator[None]:
    """SES's GetAccount, which moto does not implement, answered on the functions' client."""

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        account = {
            "SendQuota": {"Max24HourSend": 50_000.0, "MaxSendRate": _send_rates[-1], "SentLast24Hours": 0.0},
            "SendingEnabled": True,
            "ProductionAccessEnabled": True,
        }
        return AWSResponse(
            "https://email.eu-west-1.amazonaws.com/v2/email/account", 200, HTTPHeaders(), None
        ), account

    with handling(aws_clients.sesv2(), "before-call.sesv2.GetAccount", answer):
        yield


@contextmanager
def ses_account(max_send_rate: float) -> Iterator[None]:
    """GetAccount answers this MaxSendRate inside the block (and inside fake_aws).

    The mailer asks once per container: the cached answer is dropped on the way in and out.
    """
    _send_rates.append(max_send_rate)
    ses.account_send_rate.cache_clear()
    try:
        yield
    finally:
        _send_rates.pop()
        ses.account_send_rate.cache_clear()
