"""Webhooks and their delivery log in the orders table; the only code that knows their keys.

A client's webhooks share one partition with a counter item, and registering one is a transaction
that raises the counter only below the limit, so two concurrent registrations cannot pass it.
Delivery attempts live in a partition per webhook sorted by time and expire by TTL.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from orders_api.domain.errors import Conflict, NotFound
from orders_api.domain.instants import format_instant
from orders_api.domain.webhooks import MAX_DELIVERIES, MAX_WEBHOOKS, Delivery, Webhook
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, is_condition_failure, number_value, string_value
from orders_api.store.table import TableStore

DELIVERY_LOG_DAYS = 30


class Webhooks(TableStore):
    def add(self, client_id: str, webhook: Webhook, sealed_secret: bytes) -> None:
        """Stores the webhook; Conflict when the client already has the most it may."""
        pk = string_value(keys.webhooks_pk(client_id))
        item: AttributeMap = {
            "pk": pk,
            "sk": string_value(keys.webhook_sk(webhook.id)),
            "webhook": string_value(webhook.model_dump_json()),
            "secret": {"B": sealed_secret},
        }
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table,
                            "Key": {"pk": pk, "sk": string_value(keys.WEBHOOK_COUNT_SK)},
                            "UpdateExpression": "ADD webhooks :one",
                            "ConditionExpression": "attribute_not_exists(webhooks) OR webhooks < :most",
                            "ExpressionAttributeValues": {
                                ":one": number_value(1),
                                ":most": number_value(MAX_WEBHOOKS),
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table,
                            "Item": item,
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict(
                    f"A client may have at most {MAX_WEBHOOKS} webhooks; delete one first."
                ) from error
            raise

    def of_client(self, client_id: str) -> list[tuple[Webhook, bytes]]:
        """Every webhook of the client with its sealed secret, oldest first: one Query."""
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": string_value(keys.webhooks_pk(client_id)),
                ":prefix": string_value(keys.webhook_sk("")),
            },
        }
        found = [_webhook(item) for item in self.client.query(**request).get("Items", [])]
        return sorted(found, key=lambda pair: (pair[0].created_at, pair[0].id))

    def get(self, client_id: str, webhook_id: str) -> tuple[Webhook, bytes]:
        response = self.client.get_item(
            TableName=self.table, Key=self._key(client_id, webhook_id), ConsistentRead=True
        )
        if "Item" not in response:
            raise NotFound(f"Webhook {webhook_id!r} does not exist.")
        return _webhook(response["Item"])

    def delete(self, client_id: str, webhook_id: str) -> Webhook:
        """Removes the webhook and lowers the count in one transaction; NotFound when it is not there."""
        webhook, _ = self.get(client_id, webhook_id)
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self.table,
                            "Key": self._key(client_id, webhook_id),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.table,
                            "Key": {
                                "pk": string_value(keys.webhooks_pk(client_id)),
                                "sk": string_value(keys.WEBHOOK_COUNT_SK),
                            },
                            "UpdateExpression": "ADD webhooks :minus",
                            "ExpressionAttributeValues": {":minus": number_value(-1)},
                        }
                    },
                ]
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise NotFound(f"Webhook {webhook_id!r} does not exist.") from error
            raise
        return webhook

    def record_delivery(self, client_id: str, webhook_id: str, delivery: Delivery, now: datetime) -> None:
        at = format_instant(delivery.at)
        self.client.put_item(
            TableName=self.table,
            Item={
                "pk": string_value(keys.deliveries_pk(client_id, webhook_id)),
                "sk": string_value(keys.delivery_sk(at, delivery.event_id, delivery.attempt)),
                "delivery": string_value(delivery.model_dump_json()),
                "expires_at": number_value(int((now + timedelta(days=DELIVERY_LOG_DAYS)).timestamp())),
            },
        )

    def deliveries(self, client_id: str, webhook_id: str) -> list[Delivery]:
        """The last 100 attempts, newest first: one Query read backwards."""
        response = self.client.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": string_value(keys.deliveries_pk(client_id, webhook_id))},
            ScanIndexForward=False,
            Limit=MAX_DELIVERIES,
        )
        return [Delivery.model_validate_json(item["delivery"]["S"]) for item in response.get("Items", [])]

    @staticmethod
    def _key(client_id: str, webhook_id: str) -> AttributeMap:
        return {
            "pk": string_value(keys.webhooks_pk(client_id)),
            "sk": string_value(keys.webhook_sk(webhook_id)),
        }


def _webhook(item: AttributeMap) -> tuple[Webhook, bytes]:
    return Webhook.model_validate(json.loads(item["webhook"]["S"])), bytes(item["secret"]["B"])
