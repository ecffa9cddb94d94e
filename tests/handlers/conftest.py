"""Handlers in-process against moto: the real functions, authorizer and tables from template.yaml,
called through the API Gateway emulator (testkit.Api)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from orders_api.store.orders import Repository
from orders_api.store.registry import Registry

from testkit import Api, DynamoCalls, counting_calls, demo_api, fake_aws


@pytest.fixture
def sender(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender the mailer needs, set before the settings are first read."""
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", "reviews@example.com")


@pytest.fixture
def aws() -> Iterator[None]:
    with fake_aws():
        yield


@pytest.fixture
def repository(aws: None) -> Repository:
    return Repository()


@pytest.fixture
def registry(aws: None) -> Registry:
    return Registry()


@pytest.fixture
def api(registry: Registry) -> Api:
    return demo_api(registry)


@pytest.fixture
def ddb_calls(aws: None) -> Iterator[DynamoCalls]:
    with counting_calls() as calls:
        yield calls


def order_path(order_id: str) -> str:
    return "/v1/orders/" + quote(order_id, safe="")
