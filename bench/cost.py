"""DynamoDB cost per route: calls by operation and capacity units, for a 1-item and a 100-item order.

Capacity is computed from the recorded item images (bench/capacity.py). moto answers
ReturnConsumedCapacity with a fixed figure whatever the item's size, which the
output shows side by side with the computed one for a GetItem of each order size.

    python -m bench.cost
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
from orders_api.store import keys

from bench import output
from bench.capacity import READ_UNIT, item_size, total
from bench.scenarios import ORDER, SIZES, TABLES, Recording, moto_session, order_body, record_all


def _route(recording: Recording) -> dict[str, Any]:
    spent = total(recording.calls, TABLES)
    return {
        "route": recording.route,
        "function": recording.function_name,
        "items": recording.items,
        "status": recording.status,
        "calls": dict(Counter(call.operation for call in recording.calls)),
        "read_units": spent.read_units,
        "write_units": spent.write_units,
        "index_write_units": dict(spent.index_write_units),
        "total_write_units": spent.total_write_units,
    }


def moto_reported() -> list[dict[str, Any]]:
    """What moto says a strongly consistent GetItem of each order size consumes, next to the computed units."""
    found: list[dict[str, Any]] = []
    with moto_session() as (api, _):
        reader = boto3.client("dynamodb")
        table = next(iter(TABLES))
        for items in SIZES:
            order_id = f"{ORDER}-{items}"
            api.call("POST", "/v1/orders", body=order_body(order_id, items))
            key = {"pk": {"S": keys.order_pk("demo", order_id)}, "sk": {"S": keys.ORDER_SK}}
            response = reader.get_item(
                TableName=table, Key=key, ConsistentRead=True, ReturnConsumedCapacity="TOTAL"
            )
            size = item_size(response["Item"])
            found.append(
                {
                    "items": items,
                    "item_bytes": size,
                    "computed_read_units": -(-size // READ_UNIT),
                    "moto_read_units": response["ConsumedCapacity"]["CapacityUnits"],
                }
            )
    return found


def run() -> dict[str, Any]:
    return {"routes": [_route(recording) for recording in record_all()], "moto_check": moto_reported()}


def main() -> None:
    output.part(__doc__, run)


if __name__ == "__main__":
    main()
