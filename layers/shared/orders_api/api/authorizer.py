"""The Lambda REQUEST authorizer: the key from the Authorization header, and the policy API Gateway caches.

The decision also names the client's usage key: the value of the API Gateway API key
whose usage plan throttles the client, its own when its settings have one, else the
stack's default (DEFAULT_USAGE_KEY). API Gateway reads it from the authorizer, never
from the caller.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from orders_api.app.authentication import Principal, authenticate_key

MAX_KEY_LENGTH = 512


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


def authorize(event: dict[str, Any]) -> dict[str, Any]:
    """The authorizer function's whole job."""
    headers = event.get("headers") or {}
    authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    principal = authenticate_key(key_from_header(authorization))
    return policy(principal, str(event.get("methodArn", "")))
