"""Webhooks: the wire models, which addresses a webhook may reach, the Standard Webhooks signature and
the retry schedule. Pure: resolving host names and sending requests are the adapters' business.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from orders_api.domain.base_models import Strict, Wire
from orders_api.domain.event_types import EVENT_TYPES
from orders_api.domain.scalars import Instant, Text

MAX_WEBHOOKS = 10
MAX_DELIVERIES = 100
SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of every secret, not a secret
# Seconds to wait before attempt 2, 3, ...: the first retry within a minute, then growing, and 12 hours
# (SQS's longest visibility timeout) at most; the ten attempts span about 35 hours.
RETRY_DELAYS = (30, 120, 600, 1800, 3600, 10800, 21600, 43200, 43200)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_WEBHOOK: dict[str, Any] = {
    "id": "wh_4f9c2b7a1d3e5f60718293a4",
    "url": "https://shop.example/hooks/orders",
    "events": ["order.created", "order.status_changed"],
    "description": "Order sync",
    "created_at": "2026-04-01T08:00:00.000000Z",
}
_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwbdjhm8gGnLA="  # noqa: S105 - an example
_DELIVERY: dict[str, Any] = {
    "event_id": "evt_7d1f0c3b9e2a4f6b8c0d1e2f3a4b5c6d",
    "type": "order.created",
    "attempt": 1,
    "status_code": 204,
    "error": None,
    "at": "2026-04-01T08:00:01.000000Z",
}


class WebhookIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"url": _WEBHOOK["url"], "events": _WEBHOOK["events"], "description": "Order sync"}]
        }
    )

    url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] = Field(
        description="https URL on a public host; it must not resolve to a private, loopback, link-local, "
        "multicast, unspecified or metadata address",
        examples=["https://shop.example/hooks/orders"],
    )
    events: Annotated[list[str], Field(min_length=1, max_length=len(EVENT_TYPES) + 1)] = Field(
        description='Event types to deliver, or ["*"] for all',
        examples=[["order.created", "order.status_changed"]],
    )
    description: Annotated[Text, StringConstraints(max_length=500)] | None = None

    @field_validator("events")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = sorted({t for t in value if t != "*" and t not in EVENT_TYPES})
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}")
        return list(dict.fromkeys(value))


class Webhook(Wire):
    id: str
    url: str
    events: list[str]
    description: str | None = None
    created_at: Instant


class WebhookCreated(Webhook):
    secret: str = Field(description="whsec_ + base64 of 32 random bytes; shown only in this answer")


class WebhookEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": _WEBHOOK}]})

    data: Webhook


class WebhookCreatedEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": {**_WEBHOOK, "secret": _SECRET}}]})

    data: WebhookCreated


class WebhookList(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": [_WEBHOOK]}]})

    data: list[Webhook]


class Delivery(Wire):
    event_id: str
    type: str
    attempt: int
    status_code: int | None = None
    error: str | None = None
    at: Instant


class DeliveryList(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": [_DELIVERY]}]})

    data: list[Delivery] = Field(description="The last 100 attempts, newest first")


class UrlRefused(ValueError):
    """A webhook URL this API will not call; the message says why."""


def check_url(url: str, *, allow_local_http: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, before resolving; raises UrlRefused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UrlRefused(f"not a URL: {error}") from None
    host = parts.hostname
    if not host:
        raise UrlRefused("the URL has no host")
    if parts.username or parts.password:
        raise UrlRefused("the URL must not hold credentials")
    local = allow_local_http and host == "127.0.0.1"
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise UrlRefused("the URL must use https")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def refusal(address: str, *, allow_local_http: bool) -> str | None:
    """Why an address may not be called (None: it may): only public unicast addresses are allowed."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_local_http and ip == ipaddress.IPv4Address("127.0.0.1"):
        return None
    if ip.is_multicast or not ip.is_global:
        return f"the host resolves to {ip}, which is not a public address"
    return None


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The webhook-signature header of the Standard Webhooks specification."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def retry_delay(attempt: int) -> int | None:
    """Seconds before the attempt after `attempt` (1-based); None when that was the last."""
    return RETRY_DELAYS[attempt - 1] if attempt < MAX_ATTEMPTS else None


Outcome = Literal["delivered", "retry", "dropped"]


def outcome(status_code: int | None, attempt: int) -> Outcome:
    if status_code is not None and 200 <= status_code < 300:
        return "delivered"
    return "retry" if retry_delay(attempt) is not None else "dropped"
