"""Orders and customers read only to be shown: GET of an order or a customer, and list pages.

They answer from what the table holds, as orders_api.domain.public shows it, and never build
the models (orders_api.store.orders does, for the writers), so the functions that only read
load neither pydantic nor the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from orders_api.domain.instants import format_instant
from orders_api.domain.listing import ListPlan, Position, QueryBatch
from orders_api.domain.public import order_json
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, bool_value, string_value
from orders_api.store.table import TableStore

# Beside each order's document since the read functions show it as stored: domain.public.defaults_named.
DEFAULTS_NAMED = "defaults_named"


class ShownOrder(NamedTuple):
    """An order as the API shows it (JSON text) and its version, for the ETag."""

    json: str
    version: int


@dataclass(frozen=True)
class IndexQuery:
    """A plan in keys: the index partition, inclusive sort-key bounds, and an email partition to filter on."""

    partition: str
    sort_from: str | None
    sort_to: str | None
    email_partition: str | None


def order_key(client_id: str, order_id: str) -> AttributeMap:
    return {"pk": string_value(keys.order_pk(client_id, order_id)), "sk": string_value(keys.ORDER_SK)}


def customer_key(client_id: str, customer_id: str) -> AttributeMap:
    return {
        "pk": string_value(keys.customer_pk(client_id, customer_id)),
        "sk": string_value(keys.CUSTOMER_SK),
    }


def shown_order(item: AttributeMap) -> ShownOrder:
    version = int(item["version"]["N"])
    opt_out = item.get("opt_out", {}).get("BOOL", False)
    named = item.get(DEFAULTS_NAMED, {}).get("BOOL")
    return ShownOrder(order_json(item["doc"]["S"], version, opt_out, named=named), version)


def customer_fields(item: AttributeMap) -> dict[str, Any]:
    """A customer item's fields, in the Customer model's order; the instants as stored (format_instant)."""

    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return {
        "id": text("customer_id"),
        "email": text("email"),
        "name": text("name"),
        "phone": text("phone"),
        "opt_out": item.get("opt_out", {}).get("BOOL", False),
        "erased": item.get("erased", {}).get("BOOL", False),
        "created_at": text("created_at"),
        "updated_at": text("updated_at"),
    }


def index_query(plan: ListPlan) -> IndexQuery:
    client_id = plan.client_id
    email = keys.orders_by_email_pk(client_id, plan.also_email) if plan.also_email else None
    if plan.index == "by_customer":
        partition = keys.customer_pk(client_id, plan.key or "")
    elif plan.index == "by_email":
        partition = keys.orders_by_email_pk(client_id, plan.key or "")
    else:
        partition = keys.orders_by_created_pk(client_id)
    after, before = plan.created_after, plan.created_before
    return IndexQuery(
        partition=partition,
        sort_from=keys.after_instant(format_instant(after)) if after is not None else None,
        sort_to=format_instant(before) if before is not None else None,
        email_partition=email,
    )


def is_position_of(plan: ListPlan, position: Position) -> bool:
    """Whether a position names one of the plan's client's orders inside the plan's range."""
    query = index_query(plan)
    return (
        position.pk.startswith(keys.order_pk(plan.client_id, ""))
        and (query.sort_from is None or position.sort_key >= query.sort_from)
        and (query.sort_to is None or position.sort_key <= query.sort_to)
    )


class Documents(TableStore):
    def order(self, client_id: str, order_id: str) -> ShownOrder | None:
        item = self.item_at(order_key(client_id, order_id), consistent=True)
        return shown_order(item) if item else None

    def customer(self, client_id: str, customer_id: str) -> dict[str, Any] | None:
        item = self.item_at(customer_key(client_id, customer_id), consistent=True)
        return customer_fields(item) if item else None

    def query_orders(self, plan: ListPlan, start: Position | None, limit: int) -> QueryBatch:
        """One Query of the plan's index partition, at most `limit` items read, resuming after `start`."""
        query = index_query(plan)
        key_name, sort_name = f"{plan.index}_pk", f"{plan.index}_sk"
        names: dict[str, str] = {}
        values: AttributeMap = {":pk": string_value(query.partition)}
        condition = f"{key_name} = :pk"
        if query.sort_from is not None:
            values[":from"] = string_value(query.sort_from)
        if query.sort_to is not None:
            values[":to"] = string_value(query.sort_to)
        if query.sort_from is not None and query.sort_to is not None:
            condition += f" AND {sort_name} BETWEEN :from AND :to"
        elif query.sort_from is not None:
            condition += f" AND {sort_name} >= :from"
        elif query.sort_to is not None:
            condition += f" AND {sort_name} <= :to"
        filters: list[str] = []
        if not plan.include_deleted:
            filters.append("#deleted = :no")
            names["#deleted"], values[":no"] = "deleted", bool_value(False)
        if plan.status is not None:
            filters.append("#status = :status")
            names["#status"], values[":status"] = "status", string_value(plan.status)
        if query.email_partition is not None:
            filters.append("by_email_pk = :email")
            values[":email"] = string_value(query.email_partition)
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
                key_name: string_value(query.partition),
                sort_name: string_value(start.sort_key),
                "pk": string_value(start.pk),
                "sk": string_value(keys.ORDER_SK),
            }
        response = self.client.query(**request)
        last = response.get("LastEvaluatedKey")
        return QueryBatch(
            orders=[
                (Position(item[sort_name]["S"], item["pk"]["S"]), shown_order(item).json)
                for item in response.get("Items", [])
            ],
            last=Position(last[sort_name]["S"], last["pk"]["S"]) if last else None,
            scanned=int(response.get("ScannedCount", 0)),
        )
