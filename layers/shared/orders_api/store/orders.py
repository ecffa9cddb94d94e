"""All DynamoDB access to orders and customers; clients and API keys are in orders_api.store.registry,
which this builds on. Nothing outside the two modules builds a key or an expression.

An order is one item: its document as JSON (exact decimals, no type juggling),
a version number every write is conditioned on, and the index attributes that
serve each access pattern. The customer's opt-out lives on the customer item and
is copied onto each of the customer's orders, so reading an order is one GetItem.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from orders_api.domain.errors import PayloadTooLarge
from orders_api.domain.listing import Position, QueryBatch, QueryPlan
from orders_api.domain.models import Customer, Order
from orders_api.domain.scalars import STORED
from orders_api.store import keys
from orders_api.store.keys import format_instant
from orders_api.store.registry import Item, Registry, b, is_condition_failure, n, s

# DynamoDB's item limit is 400 KB; keep a margin for attribute names and index keys.
MAX_DOCUMENT_BYTES = 380_000


class VersionConflict(Exception):
    """Someone else wrote the item since it was read; read again and retry."""


@dataclass
class OrderRecord:
    order: Order
    mail: dict[str, Any] = field(default_factory=dict)


@dataclass
class CustomerRecord:
    customer: Customer


class Repository(Registry):
    """Orders, customers and due emails, on top of the registry's clients and keys in the same table."""

    # orders

    def get_order(self, client_id: str, order_id: str, *, consistent: bool = True) -> OrderRecord | None:
        response = self.client.get_item(
            TableName=self.table,
            Key=self._order_key(client_id, order_id),
            ConsistentRead=consistent,
        )
        item = response.get("Item")
        return _order_record(item) if item else None

    def get_order_and_customer(
        self, client_id: str, order_id: str, customer_id: str
    ) -> tuple[OrderRecord | None, CustomerRecord | None]:
        """One round trip for what an upsert needs to read."""
        order_key = self._order_key(client_id, order_id)
        customer_key = self._customer_key(client_id, customer_id)
        wanted = [order_key, customer_key]
        found: list[Item] = []
        while wanted:
            response = self.client.batch_get_item(
                RequestItems={self.table: {"Keys": wanted, "ConsistentRead": True}}
            )
            found.extend(response.get("Responses", {}).get(self.table, []))
            wanted = response.get("UnprocessedKeys", {}).get(self.table, {}).get("Keys", [])
        order = next((_order_record(i) for i in found if i["sk"] == s(keys.ORDER_SK)), None)
        customer = next((_customer_record(i) for i in found if i["sk"] == s(keys.CUSTOMER_SK)), None)
        return order, customer

    def save_order(
        self,
        client_id: str,
        record: OrderRecord,
        *,
        expected_version: int | None,
        due_at: datetime | None,
        customer_opt_out_seen: bool | None = None,
    ) -> None:
        """Conditional write of the order, and of its customer when customer_opt_out_seen is given.

        expected_version None means the order must not exist yet. Raises
        VersionConflict when the order or the customer's opt-out changed since read.
        """
        put = {
            "TableName": self.table,
            "Item": self._order_item(client_id, record, due_at),
            **self._version_condition(expected_version),
        }
        try:
            if customer_opt_out_seen is None:
                self.client.put_item(**put)
                return
            self.client.transact_write_items(
                TransactItems=[
                    {"Put": put},
                    {"Update": self._customer_update(client_id, record.order, customer_opt_out_seen)},
                ]
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise VersionConflict from error
            raise

    # due emails

    def due_orders(self, now: datetime, page_size: int = 100) -> Iterator[tuple[str, str]]:
        """(client id, order id) of each order with an email due by now, oldest first over all shards.

        Reads the sparse, keys-only due index a page per shard at a time, so a run that
        stops early reads no further; the base table is never scanned.
        """
        bound = keys.due_sort_key_bound(format_instant(now))
        shards = [self._due_in_shard(shard, bound, page_size) for shard in keys.DUE_SHARD_NAMES]
        for _, pk in heapq.merge(*shards):
            yield keys.split_order_pk(pk)

    def _due_in_shard(self, shard: str, bound: str, page_size: int) -> Iterator[tuple[str, str]]:
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "due",
            "KeyConditionExpression": "due_pk = :shard AND due_sk < :bound",
            "ExpressionAttributeValues": {":shard": s(shard), ":bound": s(bound)},
            "Limit": page_size,
        }
        while True:
            response = self.client.query(**request)
            for item in response.get("Items", []):
                yield item["due_sk"]["S"], item["pk"]["S"]
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # customers

    def get_customer(self, client_id: str, customer_id: str) -> CustomerRecord | None:
        response = self.client.get_item(
            TableName=self.table, Key=self._customer_key(client_id, customer_id), ConsistentRead=True
        )
        item = response.get("Item")
        return _customer_record(item) if item else None

    def set_customer_opt_out(
        self, client_id: str, customer_id: str, opt_out: bool, now: datetime
    ) -> Customer:
        """Creates the customer if unknown, so an unsubscribe is kept even before the first order."""
        stamp = s(format_instant(now))
        response = self.client.update_item(
            TableName=self.table,
            Key=self._customer_key(client_id, customer_id),
            UpdateExpression=(
                "SET opt_out = :opt_out, updated_at = :now, customer_id = :id, "
                "created_at = if_not_exists(created_at, :now)"
            ),
            ExpressionAttributeValues={":opt_out": b(opt_out), ":now": stamp, ":id": s(customer_id)},
            ReturnValues="ALL_NEW",
        )
        return _customer_record(response["Attributes"]).customer

    def order_keys_of_customer(self, client_id: str, customer_id: str) -> list[Item]:
        """Base-table keys of every order of a customer, from the keys-only customer index."""
        found: list[Item] = []
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "by_customer",
            "KeyConditionExpression": "by_customer_pk = :pk",
            "ExpressionAttributeValues": {":pk": s(keys.orders_by_customer_pk(client_id, customer_id))},
            "ProjectionExpression": "pk, sk",
        }
        while True:
            response = self.client.query(**request)
            found.extend(response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return found
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def copy_opt_out_to_order(self, key: Item, opt_out: bool) -> None:
        """A change of the customer's opt-out is a change of the order: its version grows."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression="SET opt_out = :opt_out ADD version :one",
                ConditionExpression="attribute_exists(pk) AND opt_out <> :opt_out",
                ExpressionAttributeValues={":opt_out": b(opt_out), ":one": n(1)},
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def query_orders(self, plan: QueryPlan, start: Position | None, limit: int) -> QueryBatch:
        """One Query of the plan's index partition, at most `limit` items read, resuming after `start`."""
        key_name, sort_name = f"{plan.index}_pk", f"{plan.index}_sk"
        names: dict[str, str] = {}
        values: Item = {":pk": s(plan.partition)}
        condition = f"{key_name} = :pk"
        if plan.sort_from is not None:
            values[":from"] = s(plan.sort_from)
        if plan.sort_to is not None:
            values[":to"] = s(plan.sort_to)
        if plan.sort_from is not None and plan.sort_to is not None:
            condition += f" AND {sort_name} BETWEEN :from AND :to"
        elif plan.sort_from is not None:
            condition += f" AND {sort_name} >= :from"
        elif plan.sort_to is not None:
            condition += f" AND {sort_name} <= :to"
        filters: list[str] = []
        if not plan.include_deleted:
            filters.append("#deleted = :no")
            names["#deleted"], values[":no"] = "deleted", b(False)
        if plan.status is not None:
            filters.append("#status = :status")
            names["#status"], values[":status"] = "status", s(plan.status)
        if plan.email_partition is not None:
            filters.append("by_email_pk = :email")
            values[":email"] = s(plan.email_partition)
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": plan.index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": plan.ascending,
            "Limit": limit,
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        if names:
            request["ExpressionAttributeNames"] = names
        if start is not None:
            request["ExclusiveStartKey"] = {
                key_name: s(plan.partition),
                sort_name: s(start.sort_key),
                "pk": s(start.pk),
                "sk": s(keys.ORDER_SK),
            }
        response = self.client.query(**request)
        last = response.get("LastEvaluatedKey")
        return QueryBatch(
            orders=[
                (Position(item[sort_name]["S"], item["pk"]["S"]), _order_record(item).order)
                for item in response.get("Items", [])
            ],
            last=Position(last[sort_name]["S"], last["pk"]["S"]) if last else None,
            scanned=int(response.get("ScannedCount", 0)),
        )

    # item shapes

    @staticmethod
    def _order_key(client_id: str, order_id: str) -> Item:
        return {"pk": s(keys.order_pk(client_id, order_id)), "sk": s(keys.ORDER_SK)}

    @staticmethod
    def _customer_key(client_id: str, customer_id: str) -> Item:
        return {"pk": s(keys.customer_pk(client_id, customer_id)), "sk": s(keys.CUSTOMER_SK)}

    @staticmethod
    def _version_condition(expected_version: int | None) -> dict[str, Any]:
        if expected_version is None:
            return {"ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":expected": n(expected_version)},
        }

    def _order_item(self, client_id: str, record: OrderRecord, due_at: datetime | None) -> Item:
        order = record.order
        document = order.model_dump_json(by_alias=True, exclude={"version"})
        mail = json.dumps(record.mail, separators=(",", ":"))
        size = len(document.encode()) + len(mail.encode())
        if size > MAX_DOCUMENT_BYTES:
            raise PayloadTooLarge(
                f"The order would take {size} bytes to store; the limit is {MAX_DOCUMENT_BYTES}. "
                "Send fewer or shorter items, notes or attributes."
            )
        sort_key = keys.created_sort_key(format_instant(order.created_at), order.id)
        item: Item = {
            **self._order_key(client_id, order.id),
            "version": n(order.version),
            "doc": s(document),
            "mail": s(mail),
            "status": s(order.status),
            "deleted": b(order.deleted),
            "opt_out": b(order.customer.opt_out),
            "by_created_pk": s(keys.orders_by_created_pk(client_id)),
            "by_created_sk": s(sort_key),
            "by_customer_pk": s(keys.orders_by_customer_pk(client_id, order.customer.id)),
            "by_customer_sk": s(sort_key),
        }
        if order.customer.email:
            item["by_email_pk"] = s(keys.orders_by_email_pk(client_id, order.customer.email))
            item["by_email_sk"] = s(sort_key)
        if due_at is not None:
            item["due_pk"] = s(keys.due_shard(client_id, order.id))
            item["due_sk"] = s(keys.due_sort_key(format_instant(due_at), client_id, order.id))
        return item

    def _customer_update(self, client_id: str, order: Order, opt_out_seen: bool) -> dict[str, Any]:
        customer = order.customer
        values: dict[str, Any] = {
            ":id": s(customer.id),
            ":now": s(format_instant(order.updated_at)),
            ":seen": b(opt_out_seen),
            ":no": b(False),
        }
        assignments = [
            "customer_id = :id",
            "updated_at = :now",
            "created_at = if_not_exists(created_at, :now)",
            "opt_out = if_not_exists(opt_out, :no)",
        ]
        for name in ("email", "name", "phone"):
            value = getattr(customer, name)
            if value is not None:
                values[f":{name}"] = s(value)
                assignments.append(f"#{name} = :{name}")
        update: dict[str, Any] = {
            "TableName": self.table,
            "Key": self._customer_key(client_id, customer.id),
            "UpdateExpression": "SET " + ", ".join(assignments),
            "ConditionExpression": "attribute_not_exists(pk) OR opt_out = :seen",
            "ExpressionAttributeValues": values,
        }
        names = {
            f"#{name}": name for name in ("email", "name", "phone") if getattr(customer, name) is not None
        }
        if names:
            update["ExpressionAttributeNames"] = names
        return update


def _order_record(item: Item) -> OrderRecord:
    order = Order.model_validate_json(item["doc"]["S"], context=STORED)
    opt_out = item.get("opt_out", {}).get("BOOL", False)
    order = order.model_copy(
        update={
            "version": int(item["version"]["N"]),
            "customer": order.customer.model_copy(update={"opt_out": opt_out}),
        }
    )
    mail = json.loads(item["mail"]["S"]) if "mail" in item else {}
    return OrderRecord(order=order, mail=mail)


def _customer_record(item: Item) -> CustomerRecord:
    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return CustomerRecord(
        customer=Customer.model_validate(
            {
                "id": text("customer_id"),
                "email": text("email"),
                "name": text("name"),
                "phone": text("phone"),
                "opt_out": item.get("opt_out", {}).get("BOOL", False),
                "created_at": text("created_at"),
                "updated_at": text("updated_at"),
            },
            context=STORED,
        )
    )
