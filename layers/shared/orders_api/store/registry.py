"""Clients, their settings and their API keys in the table: what the authorizer reads.

The order repository builds on this module; it stands apart so that the authorizer,
which runs before every uncached request, loads neither pydantic nor the models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from orders_api.adapters import aws
from orders_api.store import keys
from orders_api.store.keys import format_instant

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]

CLIENT_REGISTRY_PK = "CLIENTS"


@dataclass
class ApiKeyRecord:
    key_hash: str
    client_id: str
    revoked: bool


# Attribute values as the low-level client takes them: string, number, boolean.
def s(value: str) -> dict[str, Any]:
    return {"S": value}


def n(value: int) -> dict[str, Any]:
    return {"N": str(value)}


def b(value: bool) -> dict[str, Any]:
    return {"BOOL": value}


def is_condition_failure(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or []
        return not reasons or any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
    return False


class Registry:
    """Clients, their settings and their API keys; Repository adds orders and customers."""

    def __init__(self, table: str | None = None, client: DynamoDBClient | None = None) -> None:
        self.table = table or aws.table_name()
        self.client: Any = client or aws.dynamodb()

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
        item: Item = {
            **self._api_key_key(record.key_hash),
            "client_id": s(record.client_id),
            "revoked": b(record.revoked),
            "created_at": s(format_instant(created_at)),
        }
        self.client.put_item(TableName=self.table, Item=item)

    def revoke_api_key(self, key_hash: str) -> bool:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=self._api_key_key(key_hash),
                UpdateExpression="SET revoked = :yes",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":yes": b(True)},
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
                "client_id": s(client_id),
                "settings": s(json.dumps(settings, separators=(",", ":"))),
                "client_index_pk": s("CLIENTS"),
            },
        )

    def register_client(self, client_id: str) -> None:
        """One registry partition lists every client, so listing them is a Query, never a Scan."""
        self.client.put_item(
            TableName=self.table,
            Item={"pk": s(CLIENT_REGISTRY_PK), "sk": s(f"CLIENT#{client_id}"), "client_id": s(client_id)},
        )

    def client_ids(self) -> list[str]:
        """Every registered client id, in id order."""
        found: list[str] = []
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": s(CLIENT_REGISTRY_PK), ":prefix": s("CLIENT#")},
            "ProjectionExpression": "client_id",
        }
        while True:
            response = self.client.query(**request)
            found.extend(item["client_id"]["S"] for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return found
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    @staticmethod
    def _client_key(client_id: str) -> Item:
        return {"pk": s(keys.client_pk(client_id)), "sk": s(keys.CLIENT_SK)}

    @staticmethod
    def _api_key_key(key_hash: str) -> Item:
        return {"pk": s(keys.api_key_pk(key_hash)), "sk": s(keys.API_KEY_SK)}
