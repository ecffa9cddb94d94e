"""The table's stream records read as Changes: which client, which item, before and after.

Only orders and customers make events; every other item (clients, keys, webhooks, deliveries)
reads as None and is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from orders_api.domain.events import Change, CustomerImage, Image
from orders_api.domain.instants import format_instant
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap
from orders_api.store.orders import order_record


def change_of(record: dict[str, Any]) -> Change | None:
    stream = record["dynamodb"]
    pk, sk = stream["Keys"]["pk"]["S"], stream["Keys"]["sk"]["S"]
    if sk not in (keys.ORDER_SK, keys.CUSTOMER_SK) or not pk.startswith("C#"):
        return None
    client_id = pk.removeprefix("C#").partition("#")[0]
    moment = datetime.fromtimestamp(float(stream.get("ApproximateCreationDateTime", 0)), UTC)
    return Change(
        record_id=record["eventID"],
        at=format_instant(moment),
        client_id=client_id,
        old=_image(pk, sk, stream.get("OldImage")),
        new=_image(pk, sk, stream.get("NewImage")),
    )


def _image(pk: str, sk: str, item: AttributeMap | None) -> Image | None:
    if not item:
        return None
    if sk == keys.ORDER_SK:
        return order_record(item).order
    return CustomerImage(
        id=pk.partition("#CU#")[2],
        opt_out=item.get("opt_out", {}).get("BOOL", False),
        erased=item.get("erased", {}).get("BOOL", False),
        suppressed=item.get("suppressed", {}).get("S"),
    )
