"""Client and API-key administration, shared by the CLI and the local runtime."""

from __future__ import annotations

from typing import Any

from orders_api.app.clock import utcnow
from orders_api.domain.api_keys import hash_key, new_key
from orders_api.domain.client_ids import is_valid_client_id
from orders_api.domain.client_settings import ClientSettings
from orders_api.store.registry import ApiKeyRecord, Registry


def create_client(registry: Registry, settings: ClientSettings) -> ClientSettings:
    if not is_valid_client_id(settings.client_id):
        raise ValueError("client ids are 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'")
    if registry.get_client_settings(settings.client_id) is not None:
        raise ValueError(f"client {settings.client_id!r} already exists; use set-settings")
    save_settings(registry, settings)
    registry.register_client(settings.client_id)
    return settings


def list_clients(registry: Registry) -> list[str]:
    """Every registered client id, in id order."""
    return registry.client_ids()


def save_settings(registry: Registry, settings: ClientSettings) -> None:
    """Stores every field, so a reminder switched off (None) stays off instead of reverting to the default."""
    registry.put_client_settings(settings.client_id, settings.model_dump(mode="json"))


def update_settings(registry: Registry, client_id: str, changes: dict[str, Any]) -> ClientSettings:
    """Validates the stored settings with the changes applied; fields not changed are kept."""
    stored = registry.get_client_settings(client_id)
    if stored is None:
        raise LookupError(f"unknown client {client_id!r}")
    settings = ClientSettings.model_validate({**stored, **changes, "client_id": client_id})
    save_settings(registry, settings)
    return settings


def issue_key(registry: Registry, client_id: str, key: str | None = None) -> str:
    """Stores only the key's hash; the key itself is returned once and never again."""
    if registry.get_client_settings(client_id) is None:
        raise LookupError(f"unknown client {client_id!r}")
    key = key or new_key()
    registry.put_api_key(ApiKeyRecord(key_hash=hash_key(key), client_id=client_id, revoked=False), utcnow())
    return key


def revoke_key(registry: Registry, key: str) -> bool:
    return registry.revoke_api_key(hash_key(key))


def rotate_key(registry: Registry, client_id: str, old_key: str) -> str:
    """Issues the new key before revoking the old one, so the client is never left without a key."""
    record = registry.get_api_key(hash_key(old_key))
    if record is None or record.revoked or record.client_id != client_id:
        raise LookupError(f"the old key is not an active key of client {client_id!r}")
    key = issue_key(registry, client_id)
    revoke_key(registry, old_key)
    return key
