"""Clients and API keys the local runtime starts with, so the API is usable at once."""

from __future__ import annotations

from orders_api.app.client_admin import create_client, issue_key
from orders_api.domain.client_settings import ClientSettings
from orders_api.store.registry import Registry

DEFAULT_API_KEYS = "demo:local-dev-key"


def parse_api_keys(spec: str) -> list[tuple[str, str]]:
    """`client_id:key` pairs, comma-separated; ValueError names the entry that is wrong."""
    pairs: list[tuple[str, str]] = []
    for entry in spec.split(","):
        if not entry.strip():
            continue
        client_id, separator, key = entry.strip().partition(":")
        if not separator or not client_id or not key or any(c.isspace() for c in key):
            raise ValueError(f"ORDERS_API_KEYS entry {entry.strip()!r} is not client_id:key")
        pairs.append((client_id, key))
    return pairs


def seed_clients(registry: Registry, pairs: list[tuple[str, str]]) -> None:
    for client_id in dict.fromkeys(client_id for client_id, _ in pairs):
        create_client(registry, ClientSettings(client_id=client_id))
    for client_id, key in pairs:
        issue_key(registry, client_id, key)
