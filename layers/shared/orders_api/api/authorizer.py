"""API keys: parsing the Authorization header, hashing, and the authorizer's decision.

Keys are stored only as SHA-256 hashes. The hash is the lookup key, and the
stored hash is still compared in constant time before the key is accepted.

The decision also names the client's usage key: the value of the API Gateway API key
whose usage plan throttles the client, its own when its settings have one, else the
stack's default (DEFAULT_USAGE_KEY). API Gateway reads it from the authorizer, never
from the caller.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from orders_api.store.registry import Registry

KEY_PREFIX = "ordk_"
MAX_KEY_LENGTH = 512


class AuthenticationFailed(Exception):
    """Raised as API Gateway expects: the message 'Unauthorized' makes it answer 401."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


@dataclass(frozen=True)
class Principal:
    client_id: str
    settings_json: str
    usage_key: str | None


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_from_header(value: str | None) -> str | None:
    """Bearer <key>, or Basic base64(<key>:) with the key as user name and no password."""
    if not value or len(value) > 4 * MAX_KEY_LENGTH:
        return None
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    if not credentials:
        return None
    if scheme.lower() == "bearer":
        key = credentials
    elif scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        key, separator, password = decoded.partition(":")
        if not separator or password:
            return None
    else:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or " " in key:
        return None
    return key


def authenticate(authorization: str | None, registry: Registry) -> Principal:
    key = key_from_header(authorization)
    if key is None:
        raise AuthenticationFailed
    digest = hash_key(key)
    record = registry.get_api_key(digest)
    if record is None or record.revoked or not hmac.compare_digest(record.key_hash, digest):
        raise AuthenticationFailed
    settings = registry.get_client_settings(record.client_id) or {"client_id": record.client_id}
    usage_key = settings.pop("usage_key", None) or os.environ.get("DEFAULT_USAGE_KEY") or None
    return Principal(
        client_id=record.client_id,
        settings_json=json.dumps(settings, separators=(",", ":")),
        usage_key=usage_key,
    )


def policy(principal: Principal, method_arn: str) -> dict[str, Any]:
    """Allow every route of the stage, so API Gateway can cache the decision per key."""
    arn, _, path = method_arn.partition("/")
    stage = path.split("/")[0] if path else "*"
    document: dict[str, Any] = {
        "principalId": principal.client_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": f"{arn}/{stage}/*/*"}
            ],
        },
        "context": {"client_id": principal.client_id, "settings": principal.settings_json},
    }
    if principal.usage_key:
        document["usageIdentifierKey"] = principal.usage_key
    return document


_registry: Registry | None = None


def authorize(event: dict[str, Any]) -> dict[str, Any]:
    """The authorizer function's whole job; the registry is built once per container."""
    global _registry  # noqa: PLW0603 - one client per container
    if _registry is None:
        _registry = Registry()
    headers = event.get("headers") or {}
    authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    principal = authenticate(authorization, _registry)
    return policy(principal, str(event.get("methodArn", "")))
