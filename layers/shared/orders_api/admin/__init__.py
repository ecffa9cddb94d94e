"""Client and API-key administration, shared by the CLI and the local runtime."""

from __future__ import annotations

from datetime import UTC, datetime

from orders_api.auth import hash_key, new_key
from orders_api.clients import ClientSettings
from orders_api.keys import is_valid_client_id
from orders_api.repository import ApiKeyRecord, Repository


def create_client(repository: Repository, settings: ClientSettings) -> ClientSettings:
    if not is_valid_client_id(settings.client_id):
        raise ValueError("client ids are 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'")
    repository.put_client_settings(settings.client_id, settings.model_dump(mode="json", exclude_none=True))
    return settings


def issue_key(repository: Repository, client_id: str, key: str | None = None) -> str:
    """Stores only the key's hash; the key itself is returned once and never again."""
    if repository.get_client_settings(client_id) is None:
        raise LookupError(f"unknown client {client_id!r}")
    key = key or new_key()
    repository.put_api_key(
        ApiKeyRecord(key_hash=hash_key(key), client_id=client_id, revoked=False), datetime.now(UTC)
    )
    return key


def revoke_key(repository: Repository, key: str) -> bool:
    return repository.revoke_api_key(hash_key(key))
