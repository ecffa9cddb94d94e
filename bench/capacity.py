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
