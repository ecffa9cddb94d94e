"""The environment a function runs in: every variable read here, once per container, and checked.

Nothing else reads os.environ, so what a function needs from its template is listed in one
place. Values are read on first use (the logger's service name when the logger is imported), so
the local runtime can set the environment before the first request; a malformed URL fails the
function at once, as a deployment error should, rather than reaching customers as a broken link.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from contextlib import suppress
from functools import cache
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

LOCAL_BASE_URL = "http://127.0.0.1:3000"
DEFAULT_PROBLEM_BASE = "https://orders-api.example.com/problems/"
Number = TypeVar("Number", int, float)


class MissingSetting(RuntimeError):
    """A variable the template sets is absent: a deployment error, never a caller's."""


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, not {value!r}")
    return value


def _positive(name: str, value: str, kind: Callable[[str], Number]) -> Number:
    with suppress(ValueError):
        number = kind(value)
        if 0 < number < math.inf:
            return number
    raise ValueError(f"{name} must be a positive number, not {value!r}")


def _required(name: str, value: str | None) -> str:
    if value is None:
        raise MissingSetting(f"{name} is not set")
    return value


class Settings(NamedTuple):
    """A NamedTuple rather than a dataclass, which would cost every function 10 ms of imports."""

    table: str | None
    idempotency_table: str
    default_sender_email: str | None
    public_base_url: str
    problem_type_base: str
    signing_key: str | None
    signing_secret_arn: str | None
    service_name: str
    default_usage_key: str | None
    configuration_set: str | None
    event_bus: str | None
    delivery_queue_url: str | None
    webhook_key_id: str | None
    webhooks_allow_local_http: bool
    webhook_retry_scale: float
    mailer_workers: int
    ses_max_send_rate: float | None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        def optional(name: str) -> str | None:
            return environ.get(name) or None

        rate = optional("SES_MAX_SEND_RATE")
        return cls(
            table=optional("TABLE_NAME"),
            idempotency_table=environ.get("IDEMPOTENCY_TABLE_NAME") or "IdempotencyTable",
            default_sender_email=optional("DEFAULT_SENDER_EMAIL"),
            public_base_url=_url("PUBLIC_BASE_URL", environ.get("PUBLIC_BASE_URL") or LOCAL_BASE_URL).rstrip(
                "/"
            ),
            problem_type_base=_url(
                "PROBLEM_TYPE_BASE", environ.get("PROBLEM_TYPE_BASE") or DEFAULT_PROBLEM_BASE
            ),
            signing_key=optional("SIGNING_KEY"),
            signing_secret_arn=optional("SIGNING_SECRET_ARN"),
            service_name=environ.get("POWERTOOLS_SERVICE_NAME") or "orders-api",
            default_usage_key=optional("DEFAULT_USAGE_KEY"),
            configuration_set=optional("SES_CONFIGURATION_SET"),
            event_bus=optional("EVENT_BUS_NAME"),
            delivery_queue_url=optional("DELIVERY_QUEUE_URL"),
            webhook_key_id=optional("WEBHOOK_KEY_ID"),
            # Set by the local runtime only: webhooks may then call http://127.0.0.1.
            webhooks_allow_local_http=environ.get("WEBHOOKS_ALLOW_LOCAL_HTTP") == "true",
            # Local runs and tests shorten the retry backoff with it; deployed it is 1.
            webhook_retry_scale=float(environ.get("WEBHOOK_RETRY_SCALE") or "1"),
            # Orders the mailer handles at once; it never sends faster than SES's rate whatever the number.
            mailer_workers=_positive("MAILER_WORKERS", environ.get("MAILER_WORKERS") or "16", int),
            # Emails a second the mailer sends instead of asking SES (GetAccount): where SES cannot answer,
            # as in the local runtime, or to send slower than the account may.
            ses_max_send_rate=_positive("SES_MAX_SEND_RATE", rate, float) if rate else None,
        )

    @property
    def table_name(self) -> str:
        return _required("TABLE_NAME", self.table)

    @property
    def bus_name(self) -> str:
        return _required("EVENT_BUS_NAME", self.event_bus)

    @property
    def delivery_queue(self) -> str:
        return _required("DELIVERY_QUEUE_URL", self.delivery_queue_url)

    @property
    def webhook_key(self) -> str:
        return _required("WEBHOOK_KEY_ID", self.webhook_key_id)


@cache
def current() -> Settings:
    return Settings.from_environment(os.environ)


def reload() -> Settings:
    """For a process that changes its own environment after start-up, as the local runtime does."""
    current.cache_clear()
    return current()
