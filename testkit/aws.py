"""moto with the template's tables, as the handler tests and the benchmarks use it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from moto import mock_aws
from orders_api import settings
from orders_local.resources import create_resources
from orders_local.template import create_tables

from testkit.functions import TEMPLATE

SENDER = TEMPLATE.parameters.get("DefaultSenderEmail", "reviews@example.com")


@contextmanager
def fake_aws() -> Iterator[None]:
    """moto with the template's tables, queues, bus and keys, and the default sender verified in SES."""
    with mock_aws():
        create_tables(boto3.client("dynamodb"), TEMPLATE)
        create_resources(TEMPLATE)
        settings.reload()
        boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
        yield
