"""API keys: how they look and how they are stored (only as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "ordk_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
