"""A page of orders read from an index, as the API shows them: one Query of the plan's range.

Only the list function loads this, with the list's plan and positions (orders_api.domain.listing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orders_api.domain.instants import format_instant
from orders_api.domain.listing import ListPlan, Position, QueryBatch
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, bool_value, string_value
from orders_api.store.documents import shown_order
from orders_api.store.table import TableStore


@dataclass(frozen=True)
class IndexQuery:
    """A plan in keys: the index partition, inclusive sort-key bounds, and an email partition to filter on."""

    partition: str
    sort_from: str | None
    sort_to: str | None
    email_partition: str | None


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


class OrderPages(TableStore):
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
