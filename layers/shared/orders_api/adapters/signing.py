"""Tamper-proof tokens (list cursors, unsubscribe links): JSON payload plus an HMAC.

The key comes from SIGNING_KEY, else from the Secrets Manager secret named by
SIGNING_SECRET_ARN (read once per container), else a random per-process key,
which is right for tests and the local runtime only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from functools import cache
from typing import Any

from orders_api import settings
from orders_api.adapters import aws


@cache
def signing_key() -> bytes:
    environment = settings.current()
    if key := environment.signing_key:
        return key.encode()
    if arn := environment.signing_secret_arn:
        secret = aws.secretsmanager().get_secret_value(SecretId=arn)["SecretString"]
        return str(secret).encode()
    return secrets.token_bytes(32)


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(purpose: str, body: str) -> str:
    return _encode(hmac.new(signing_key(), f"{purpose}.{body}".encode(), hashlib.sha256).digest())


def sign(purpose: str, payload: dict[str, Any]) -> str:
    """purpose separates token kinds, so a cursor can never pass as an unsubscribe token."""
    body = _encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(purpose, body)}"


def verify(purpose: str, token: str) -> dict[str, Any] | None:
    """The payload, or None for anything forged, truncated or malformed."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 8192:
        return None
    body, mac = token.split(".")
    if not hmac.compare_digest(mac.encode(), _mac(purpose, body).encode()):
        return None
    try:
        payload = json.loads(_decode(body))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None
