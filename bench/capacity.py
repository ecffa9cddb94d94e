"""DynamoDB capacity of recorded calls, computed from item sizes by DynamoDB's published rules.

- Item size: the UTF-8 length of every attribute name plus its value (strings by UTF-8
  length, numbers about one byte per two digits plus one, booleans and nulls one
  byte, lists and maps three bytes plus one per element).
- Reads: 4 KB per read unit, rounded up per item (GetItem, BatchGetItem) or over the
  sum of every item a Query evaluated, before its filter; eventually consistent reads
  (and every index read) cost half. A read that finds nothing still costs the minimum.
- Writes: 1 KB per write unit, on the larger of the item before and after; inside a
  transaction twice that.
- Index writes: for each global secondary index, an item that enters or leaves it is one
  index write, one whose index key changes is two (delete and put), one whose projected
  attributes change is one; each sized on the index entry (table and index keys plus
  the projected attributes).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.recorder import Call, Item, Write

READ_UNIT = 4096
WRITE_UNIT = 1024


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]
    projection: str
    included: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    keys: tuple[str, ...]
    indexes: tuple[Index, ...]

    @classmethod
    def from_create_args(cls, args: dict[str, Any]) -> Table:
        return cls(
            name=args["TableName"],
            keys=tuple(k["AttributeName"] for k in args["KeySchema"]),
            indexes=tuple(
                Index(
                    name=index["IndexName"],
                    keys=tuple(k["AttributeName"] for k in index["KeySchema"]),
                    projection=index["Projection"]["ProjectionType"],
                    included=tuple(index["Projection"].get("NonKeyAttributes", ())),
                )
                for index in args.get("GlobalSecondaryIndexes", [])
            ),
        )


@dataclass
class Capacity:
    read_units: float = 0.0
    write_units: float = 0.0
    index_write_units: Counter[str] = field(default_factory=Counter)

    def add(self, other: Capacity) -> None:
        self.read_units += other.read_units
        self.write_units += other.write_units
        self.index_write_units.update(other.index_write_units)

    @property
    def total_write_units(self) -> float:
        return self.write_units + sum(self.index_write_units.values())


def value_size(value: dict[str, Any]) -> int:
    (kind, data), *_ = value.items()
    if kind == "S":
        return len(str(data).encode())
    if kind == "N":
        digits = Decimal(str(data)).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "BS"):
        return sum(value_size({kind[0]: member}) for member in data)
    if kind == "NS":
        return sum(value_size({"N": member}) for member in data)
    if kind == "L":
        return 3 + sum(value_size(member) + 1 for member in data)
    if kind == "M":
        return 3 + item_size(data) + len(data)
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: Item | None) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in (item or {}).items())


def _units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


def _entry(index: Index, table: Table, item: Item | None) -> Item | None:
    """The item's entry in the index, or None when it lacks an index key (sparse index)."""
    if item is None or any(key not in item for key in index.keys):
        return None
    if index.projection == "ALL":
        return item
    kept = set(table.keys) | set(index.keys) | set(index.included)
    return {name: value for name, value in item.items() if name in kept}


def index_writes(table: Table, write: Write) -> Counter[str]:
    units: Counter[str] = Counter()
    for index in table.indexes:
        old, new = _entry(index, table, write.before), _entry(index, table, write.after)
        if old == new:
            continue
        if old is None or new is None:
            units[index.name] += _units(item_size(old or new), WRITE_UNIT)
        elif any(old[key] != new[key] for key in index.keys):
            units[index.name] += _units(item_size(old), WRITE_UNIT) + _units(item_size(new), WRITE_UNIT)
        else:
            units[index.name] += _units(max(item_size(old), item_size(new)), WRITE_UNIT)
    return units


def _read(call: Call) -> float:
    params, response = call.params, call.response
    if call.operation == "GetItem":
        half = not params.get("ConsistentRead")
        return _units(item_size(response.get("Item")), READ_UNIT) * (0.5 if half else 1)
    if call.operation == "BatchGetItem":
        units = 0.0
        for table, request in params["RequestItems"].items():
            found = response.get("Responses", {}).get(table, [])
            missing = max(0, len(request["Keys"]) - len(found))
            per_item = 1.0 if request.get("ConsistentRead") else 0.5
            units += per_item * (sum(_units(item_size(item), READ_UNIT) for item in found) + missing)
        return units
    if call.operation == "Query":
        half = "IndexName" in params or not params.get("ConsistentRead")
        total = sum(item_size(item) for item in call.evaluated)
        return _units(total, READ_UNIT) * (0.5 if half else 1)
    return 0.0


def capacity(call: Call, tables: dict[str, Table]) -> Capacity:
    spent = Capacity(read_units=_read(call))
    for write in call.writes:
        size = max(item_size(write.before), item_size(write.after))
        spent.write_units += _units(size, WRITE_UNIT) * (2 if write.transactional else 1)
        spent.index_write_units.update(index_writes(tables[write.table], write))
    return spent


def total(calls: list[Call], tables: dict[str, Table]) -> Capacity:
    spent = Capacity()
    for call in calls:
        spent.add(capacity(call, tables))
    return spent


# --- scaling on paper ------------------------------------------------------------------------------
#
# DynamoDB serves at most 1,000 write units and 3,000 read units a second per partition, and every
# item of one partition key (of the table or of an index) lives in one partition, so a key is bound
# by them whatever the table's capacity. On-demand tables add a table-level quota, 40,000 read and
# 40,000 write request units a second by default, for the table and for each of its indexes.

PARTITION_WRITE_UNITS = 1_000
PARTITION_READ_UNITS = 3_000
TABLE_WRITE_UNITS = 40_000
TABLE_READ_UNITS = 40_000
QUERY_RESULT_BYTES = 1024 * 1024
SECONDS_PER_DAY = 86_400
TABLE = "table"
# A DynamoDB call from Lambda in the same Region (DynamoDB's "single-digit milliseconds"), and an SES send.
DYNAMODB_CALL_SECONDS = 0.005
SES_SEND_SECONDS = 0.050
# SES's sandbox: 1 email a second, 200 a day; out of it the quotas are set per account.
SES_SANDBOX_RATE = 1.0
SES_SANDBOX_DAY = 200


@dataclass(frozen=True)
class KeySpread:
    """What one partition key of the table or an index holds, and over how many keys that spreads."""

    holds: str
    keys: int = 1

    @property
    def per_client(self) -> bool:
        """True when one client's writes can reach no more keys than `keys`."""
        return self.holds in ("client", "all clients")


# Of this table: orders and customers are keyed by their own ids, by_created by client, by_customer
# and by_email by customer (and email), and the due index by 8 fixed shards for all clients.
SPREADS: dict[str, KeySpread] = {
    TABLE: KeySpread("order"),
    "by_created": KeySpread("client"),
    "by_customer": KeySpread("customer"),
    "by_email": KeySpread("customer"),
    "due": KeySpread("all clients", 8),
}


@dataclass(frozen=True)
class Bound:
    """How many operations a second one index takes before it throttles them."""

    index: str
    units: float
    holds: str
    per_key: float
    table_quota: float

    @property
    def per_client(self) -> float | None:
        spread = SPREADS[self.index]
        return self.per_key * spread.keys if spread.per_client else None

    @property
    def whole_table(self) -> float:
        spread = SPREADS[self.index]
        keyed = self.per_key * spread.keys if spread.holds == "all clients" else math.inf
        return min(keyed, self.table_quota)


def write_units_by_index(spent: Capacity) -> dict[str, float]:
    """The table's and each index's write units of one operation."""
    return {TABLE: spent.write_units, **spent.index_write_units}


def write_bounds(units: dict[str, float]) -> list[Bound]:
    """Per index, operations a second of this many write units each before a key or the quota throttles."""
    return [
        Bound(
            index,
            spent,
            SPREADS[index].holds,
            PARTITION_WRITE_UNITS / spent,
            TABLE_WRITE_UNITS / spent,
        )
        for index, spent in units.items()
        if spent > 0
    ]


def read_bound(index: str, units: float) -> Bound:
    return Bound(index, units, SPREADS[index].holds, PARTITION_READ_UNITS / units, TABLE_READ_UNITS / units)


def first_limit(bounds: list[Bound], scope: str) -> tuple[float, str]:
    """The lowest rate and the index that sets it, for one client ("client") or the whole table."""
    found = [
        (bound.per_client if scope == "client" else bound.whole_table, bound.index)
        for bound in bounds
        if scope != "client" or bound.per_client is not None
    ]
    rate, index = min((rate, index) for rate, index in found if rate is not None)
    return rate, index


def page_read_units(page_bytes: int) -> float:
    """An index Query page of this many bytes: one Query per MB returned, each rounded up, halved."""
    units = 0.0
    left = page_bytes
    while left > 0:
        taken = min(left, QUERY_RESULT_BYTES)
        units += _units(taken, READ_UNIT) / 2
        left -= taken
    return units


@dataclass(frozen=True)
class Mailer:
    """One mailer: a run every `interval_s`, claiming until `stop_margin_s` before `timeout_s`."""

    interval_s: float
    timeout_s: float
    stop_margin_s: float
    seconds_per_email: float

    @property
    def sending_seconds_per_day(self) -> float:
        return min(self.interval_s, self.timeout_s - self.stop_margin_s) * SECONDS_PER_DAY / self.interval_s

    def emails_per_second(self, concurrency: int = 1, send_rate: float = math.inf) -> float:
        return min(concurrency / self.seconds_per_email, send_rate)

    def emails_per_day(self, concurrency: int = 1, send_rate: float = math.inf) -> float:
        return self.emails_per_second(concurrency, send_rate) * self.sending_seconds_per_day


def shards_needed(rate: float, per_key: float) -> int:
    """Keys a hot partition key must be split into to take `rate` operations a second."""
    return max(1, math.ceil(rate / per_key))
