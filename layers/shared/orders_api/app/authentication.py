"""Who is calling: an API key to its client and settings, or a refusal.

The hash is the lookup key, and the stored hash is still compared in constant time
before the key is accepted. Loads boto3 and the registry only: it runs before every
request API Gateway has not cached.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from functools import cache

from orders_api import settings
from orders_api.domain.api_keys import hash_key
from orders_api.store.registry import Registry


class AuthenticationFailed(Exception):
    """Raised as API Gateway expects: the message 'Unauthorized' makes it answer 401."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


@dataclass(frozen=True)
class Principal:
    """The client a valid key belongs to, with its settings and usage key, as the authorizer answers."""

    client_id: str
    settings_json: str
    usage_key: str | None


def authenticate(key: str | None, registry: Registry) -> Principal:
    """The client a key belongs to; its usage key is its own when its settings have one, else the stack's."""
    if key is None:
        raise AuthenticationFailed
    digest = hash_key(key)
    record = registry.get_api_key(digest)
    if record is None or record.revoked or not hmac.compare_digest(record.key_hash, digest):
        raise AuthenticationFailed
    stored = registry.get_client_settings(record.client_id) or {"client_id": record.client_id}
    usage_key = stored.pop("usage_key", None) or settings.current().default_usage_key
    return Principal(
        client_id=record.client_id,
        settings_json=json.dumps(stored, separators=(",", ":")),
        usage_key=usage_key,
    )


@cache
def _registry() -> Registry:
    """One registry, and so one DynamoDB client, per container."""
    return Registry()


def authenticate_key(key: str | None) -> Principal:
    return authenticate(key, _registry())
