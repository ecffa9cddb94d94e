"""Webhook secrets encrypted with the stack's KMS key, bound to their client and webhook.

The encryption context names both, so a sealed secret copied onto another webhook does not open.
"""

from __future__ import annotations

from orders_api import settings
from orders_api.adapters import aws


def seal(secret: str, client_id: str, webhook_id: str) -> bytes:
    response = aws.kms().encrypt(
        KeyId=settings.current().webhook_key,
        Plaintext=secret.encode(),
        EncryptionContext={"client_id": client_id, "webhook_id": webhook_id},
    )
    return response["CiphertextBlob"]


def open_sealed(sealed: bytes, client_id: str, webhook_id: str) -> str:
    response = aws.kms().decrypt(
        CiphertextBlob=sealed, EncryptionContext={"client_id": client_id, "webhook_id": webhook_id}
    )
    return response["Plaintext"].decode()
