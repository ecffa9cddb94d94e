"""Clients, their settings and their API keys in the table: what the authorizer reads.

It stands apart from the order repository so that the authorizer,
which runs before every uncached request, loads neither pydantic nor the models.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from orders_api.domain.instants import format_instant
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, bool_value, is_condition_failure, string_value
from orders_api.store.table import TableStore

CLIENT_REGISTRY_PK = "CLIENTS"


class ApiKeyRecord(NamedTuple):
    """A stored API key: its hash, never the key itself."""

    key_hash: str
    client_id: str
    revoked: bool


class Registry(TableStore):
    """Clients, their settings and their API keys."""

    def get_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        response = self.client.get_item(TableName=self.table, Key=self._api_key_key(key_hash))
        item = response.get("Item")
        if not item:
            return None
        return ApiKeyRecord(
            key_hash=key_hash,
            client_id=item["client_id"]["S"],
            revoked=item.get("revoked", {}).get("BOOL", False),
        )

    def put_api_key(self, record: ApiKeyRecord, created_at: datetime) -> None:
        item: AttributeMap = {
            **self._api_key_key(record.key_hash),
            "client_id": string_value(record.client_id),
            "revoked": bool_value(record.revoked),
            "created_at": string_value(format_instant(created_at)),
        }
        self.client.put_item(TableName=self.table, Item=item)

    def revoke_api_key(self, key_hash: str) -> bool:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=self._api_key_key(key_hash),
                UpdateExpression="SET revoked = :yes",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":yes": bool_value(True)},
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def get_client_settings(self, client_id: str) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.table, Key=self._client_key(client_id))
        item = response.get("Item")
        return json.loads(item["settings"]["S"]) if item else None

    def put_client_settings(self, client_id: str, settings: dict[str, Any]) -> None:
        self.client.put_item(
            TableName=self.table,
            Item={
                **self._client_key(client_id),
                "client_id": string_value(client_id),
                "settings": string_value(json.dumps(settings, separators=(",", ":"))),
                "client_index_pk": string_value("CLIENTS"),
            },
        )

    def register_client(self, client_id: str) -> None:
        """One registry partition lists every client, so listing them is a Query, never a Scan."""
        self.client.put_item(
            TableName=self.table,
            Item={
                "pk": string_value(CLIENT_REGISTRY_PK),
                "sk": string_value(f"CLIENT#{client_id}"),
                "client_id": string_value(client_id),
            },
        )

    def client_ids(self) -> list[str]:
        """Every registered client id, in id order."""
        items = self.query_items(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": string_value(CLIENT_REGISTRY_PK),
                ":prefix": string_value("CLIENT#"),
            },
            ProjectionExpression="client_id",
        )
        return [item["client_id"]["S"] for item in items]

    @staticmethod
    def _client_key(client_id: str) -> AttributeMap:
        return {"pk": string_value(keys.client_pk(client_id)), "sk": string_value(keys.CLIENT_SK)}

    @staticmethod
    def _api_key_key(key_hash: str) -> AttributeMap:
        return {"pk": string_value(keys.api_key_pk(key_hash)), "sk": string_value(keys.API_KEY_SK)}
