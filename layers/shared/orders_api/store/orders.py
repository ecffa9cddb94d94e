"""DynamoDB access to orders and customers as the models; clients and API keys are in
orders_api.store.registry, reads that only show orders and customers in orders_api.store.documents and
orders_api.store.pages.
Nothing outside the store builds a key or an expression.

An order is one item: its document as JSON (exact decimals, no type juggling),
a version number every write is conditioned on, and the index attributes that
serve each access pattern. The customer's opt-out lives on the customer item and
is copied onto each of the customer's orders, so reading an order is one GetItem.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from orders_api.domain.errors import TooLarge
from orders_api.domain.instants import format_instant
from orders_api.domain.models import Customer, Order
from orders_api.domain.public import defaults_named
from orders_api.domain.scalars import STORED
from orders_api.store import keys
from orders_api.store.attributes import (
    AttributeMap,
    bool_value,
    is_condition_failure,
    number_value,
    string_value,
)
from orders_api.store.deliverability import expiry, is_suppression, suppression_key, suppression_reason
from orders_api.store.documents import DEFAULTS_NAMED, customer_fields, customer_key, order_key
from orders_api.store.table import MAX_DOCUMENT_BYTES, TableStore


class VersionConflict(Exception):
    """Someone else wrote the item since it was read; read again and retry."""


@dataclass
class OrderRecord:
    """A stored order with its mail state, kept in the same item but not part of the order."""

    order: Order
    mail: dict[str, Any] = field(default_factory=dict)


class Due(NamedTuple):
    """An order with an email due, and the digest of the address its due entry was written with."""

    client_id: str
    order_id: str
    address: str | None


class CustomerRecord(NamedTuple):
    """A stored customer profile."""

    customer: Customer


class Repository(TableStore):
    """Orders, customers and due emails."""

    # orders

    def get_order(self, client_id: str, order_id: str, *, consistent: bool = True) -> OrderRecord | None:
        item = self.item_at(order_key(client_id, order_id), consistent=consistent)
        return order_record(item) if item else None

    def get_order_and_customer(
        self, client_id: str, order_id: str, customer_id: str
    ) -> tuple[OrderRecord | None, CustomerRecord | None]:
        """One round trip for what an upsert needs to read."""
        found = self.items_at([order_key(client_id, order_id), customer_key(client_id, customer_id)])
        customer = next(
            (_customer_record(i) for i in found if i["sk"] == string_value(keys.CUSTOMER_SK)), None
        )
        return _order_in(found), customer

    def get_order_and_suppression(self, due: Due) -> tuple[OrderRecord | None, str | None]:
        """A due order, read consistently, and why its address gets no more mail (None when it may).

        One round trip while the address is the one the due entry was written with; when the order's
        address changed since (the index lags the table), its suppression is read after it.
        """
        wanted = [order_key(due.client_id, due.order_id)]
        if due.address is not None:
            wanted.append(suppression_key(due.client_id, due.address))
        found = self.items_at(wanted)
        record = _order_in(found)
        email = record.order.customer.email if record else None
        if email is None:
            return record, None
        address = keys.address_digest(email)
        if address == due.address:
            return record, suppression_reason(next((i for i in found if is_suppression(i)), None))
        return record, suppression_reason(
            self.item_at(suppression_key(due.client_id, address), consistent=True)
        )

    def save_order(
        self,
        client_id: str,
        record: OrderRecord,
        *,
        expected_version: int | None,
        due_at: datetime | None,
        customer_opt_out_seen: bool | None = None,
        retention_days: int | None = None,
    ) -> None:
        """Conditional write of the order, and of its customer when customer_opt_out_seen is given.

        expected_version None means the order must not exist yet. Raises
        VersionConflict when the order or the customer's opt-out changed since read.
        With retention_days the item expires (DynamoDB TTL) that long after the order's last change.
        """
        item = self._order_item(client_id, record, due_at)
        if retention_days is not None:
            item["expires_at"] = expiry(record.order.updated_at + timedelta(days=retention_days))
        put = {
            "TableName": self.table,
            "Item": item,
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

    def due_orders(self, now: datetime, page_size: int = 100) -> Iterator[Due]:
        """Each order with an email due by now, oldest first over all shards.

        Reads the sparse, keys-only due index a page per shard at a time, so a run that
        stops early reads no further; the base table is never scanned. The merge needs every
        shard's oldest entry before it can yield the first, so the shards' first pages are read
        at once rather than one Query after the other.
        """
        bound = keys.after_instant(format_instant(now))
        shards = [self._due_in_shard(shard, bound, page_size) for shard in keys.DUE_SHARD_NAMES]
        with ThreadPoolExecutor(max_workers=len(shards), thread_name_prefix="due") as pool:
            started = list(pool.map(_started, shards))
        for due_sk, pk in heapq.merge(*started):
            client_id, order_id = keys.split_order_pk(pk)
            yield Due(client_id, order_id, keys.due_address(due_sk))

    def _due_in_shard(self, shard: str, bound: str, page_size: int) -> Iterator[tuple[str, str]]:
        pages = self.query_pages(
            IndexName="due",
            KeyConditionExpression="due_pk = :shard AND due_sk < :bound",
            ExpressionAttributeValues={":shard": string_value(shard), ":bound": string_value(bound)},
            Limit=page_size,
        )
        for page in pages:
            for item in page.get("Items", []):
                yield item["due_sk"]["S"], item["pk"]["S"]

    # customers

    def get_customer(self, client_id: str, customer_id: str) -> CustomerRecord | None:
        item = self.item_at(customer_key(client_id, customer_id), consistent=True)
        return _customer_record(item) if item else None

    def set_customer_opt_out(
        self, client_id: str, customer_id: str, opt_out: bool, now: datetime
    ) -> Customer:
        """Creates the customer if unknown, so an unsubscribe is kept even before the first order."""
        stamp = string_value(format_instant(now))
        response = self.client.update_item(
            TableName=self.table,
            Key=customer_key(client_id, customer_id),
            UpdateExpression=(
                "SET opt_out = :opt_out, updated_at = :now, customer_id = :id, "
                "created_at = if_not_exists(created_at, :now)"
            ),
            ExpressionAttributeValues={
                ":opt_out": bool_value(opt_out),
                ":now": stamp,
                ":id": string_value(customer_id),
            },
            ReturnValues="ALL_NEW",
        )
        return _customer_record(response["Attributes"]).customer

    def order_keys_of_customer(self, client_id: str, customer_id: str) -> list[AttributeMap]:
        """Base-table keys of every order of a customer, from the keys-only customer index."""
        return self.query_items(
            IndexName="by_customer",
            KeyConditionExpression="by_customer_pk = :pk",
            ExpressionAttributeValues={":pk": string_value(keys.customer_pk(client_id, customer_id))},
            ProjectionExpression="pk, sk",
        )

    def order_ids_of_customer(self, client_id: str, customer_id: str) -> list[str]:
        return [
            keys.split_order_pk(key["pk"]["S"])[1]
            for key in self.order_keys_of_customer(client_id, customer_id)
        ]

    def orders_with_email(self, client_id: str, email: str) -> list[tuple[str, str]]:
        """(order id, customer id) of every order sent to the address, from the email index's keys."""
        customer_prefix = keys.customer_pk(client_id, "")
        items = self.query_items(
            IndexName="by_email",
            KeyConditionExpression="by_email_pk = :pk",
            ExpressionAttributeValues={":pk": string_value(keys.orders_by_email_pk(client_id, email))},
            ProjectionExpression="pk, by_customer_pk",
        )
        return [
            (
                keys.split_order_pk(item["pk"]["S"])[1],
                item["by_customer_pk"]["S"].removeprefix(customer_prefix),
            )
            for item in items
        ]

    def erase_customer(self, client_id: str, customer_id: str, now: datetime) -> bool:
        """Removes the customer record's personal data; False when there is no such customer."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=customer_key(client_id, customer_id),
                UpdateExpression="SET erased = :yes, updated_at = :now REMOVE email, #name, phone",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#name": "name"},
                ExpressionAttributeValues={
                    ":yes": bool_value(True),
                    ":now": string_value(format_instant(now)),
                },
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def copy_opt_out_to_order(self, key: AttributeMap, opt_out: bool) -> None:
        """A change of the customer's opt-out is a change of the order: its version grows."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=key,
                UpdateExpression="SET opt_out = :opt_out ADD version :one",
                ConditionExpression="attribute_exists(pk) AND opt_out <> :opt_out",
                ExpressionAttributeValues={":opt_out": bool_value(opt_out), ":one": number_value(1)},
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    # item shapes

    @staticmethod
    def _version_condition(expected_version: int | None) -> dict[str, Any]:
        if expected_version is None:
            return {"ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":expected": number_value(expected_version)},
        }

    def _order_item(self, client_id: str, record: OrderRecord, due_at: datetime | None) -> AttributeMap:
        order = record.order
        document = order.model_dump_json(by_alias=True, exclude={"version"})
        mail = json.dumps(record.mail, separators=(",", ":"))
        size = len(document.encode()) + len(mail.encode())
        if size > MAX_DOCUMENT_BYTES:
            raise TooLarge(
                f"The order would take {size} bytes to store; the limit is {MAX_DOCUMENT_BYTES}. "
                "Send fewer or shorter items, notes or attributes."
            )
        sort_key = keys.created_sort_key(format_instant(order.created_at), order.id)
        item: AttributeMap = {
            **order_key(client_id, order.id),
            "version": number_value(order.version),
            "doc": string_value(document),
            "mail": string_value(mail),
            "status": string_value(order.status),
            "deleted": bool_value(order.deleted),
            "opt_out": bool_value(order.customer.opt_out),
            DEFAULTS_NAMED: bool_value(defaults_named(order)),
            "by_created_pk": string_value(keys.orders_by_created_pk(client_id)),
            "by_created_sk": string_value(sort_key),
            "by_customer_pk": string_value(keys.customer_pk(client_id, order.customer.id)),
            "by_customer_sk": string_value(sort_key),
        }
        if order.customer.email:
            item["by_email_pk"] = string_value(keys.orders_by_email_pk(client_id, order.customer.email))
            item["by_email_sk"] = string_value(sort_key)
        if due_at is not None:
            item["due_pk"] = string_value(keys.due_shard(client_id, order.id))
            item["due_sk"] = string_value(
                keys.due_sort_key(format_instant(due_at), client_id, order.id, order.customer.email)
            )
        return item

    def _customer_update(self, client_id: str, order: Order, opt_out_seen: bool) -> dict[str, Any]:
        customer = order.customer
        values: dict[str, Any] = {
            ":id": string_value(customer.id),
            ":now": string_value(format_instant(customer.updated_at or order.updated_at)),
            ":seen": bool_value(opt_out_seen),
            ":no": bool_value(False),
        }
        assignments = [
            "customer_id = :id",
            "updated_at = :now",
            "created_at = if_not_exists(created_at, :now)",
            "opt_out = if_not_exists(opt_out, :no)",
        ]
        personal = [name for name in ("email", "name", "phone") if getattr(customer, name) is not None]
        for name in personal:
            values[f":{name}"] = string_value(getattr(customer, name))
            assignments.append(f"#{name} = :{name}")
        if personal:
            assignments.append("erased = :no")
        update: dict[str, Any] = {
            "TableName": self.table,
            "Key": customer_key(client_id, customer.id),
            "UpdateExpression": "SET " + ", ".join(assignments),
            "ConditionExpression": "attribute_not_exists(pk) OR opt_out = :seen",
            "ExpressionAttributeValues": values,
        }
        if personal:
            update["ExpressionAttributeNames"] = {f"#{name}": name for name in personal}
        return update


def _order_in(items: list[AttributeMap]) -> OrderRecord | None:
    return next((order_record(i) for i in items if i["sk"] == string_value(keys.ORDER_SK)), None)


def order_record(item: AttributeMap) -> OrderRecord:
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


def _customer_record(item: AttributeMap) -> CustomerRecord:
    return CustomerRecord(customer=Customer.model_validate(customer_fields(item), context=STORED))


def _started(entries: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """The entries with the first read already, in the calling thread; the rest read when iterated."""
    first = next(entries, None)
    return entries if first is None else itertools.chain([first], entries)
