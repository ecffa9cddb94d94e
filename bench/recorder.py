"""Records the DynamoDB calls the functions make: parameters, response, and the item images
that capacity is computed from (each written item before and after, each item a Query read).

It listens on the functions' own client; the images are read through a second client
whose calls nobody counts. Calls made while testkit's Api authorizes a request
(DynamoCalls.paused) belong to the authorizer and are left out, as `ddb_calls` does.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from testkit import DynamoCalls

Item = dict[str, Any]
FILTERS = ("FilterExpression", "ProjectionExpression", "Select", "AttributesToGet")
_PLACEHOLDER = re.compile(r"[#:][A-Za-z0-9_]+")


@dataclass
class Write:
    table: str
    key: Item
    before: Item | None
    after: Item | None = None
    transactional: bool = False


@dataclass
class Call:
    operation: str
    params: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)
    writes: list[Write] = field(default_factory=list)
    evaluated: list[Item] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return "Error" in self.response


class Recorder:
    def __init__(self, client: Any, reader: Any, key_names: dict[str, list[str]]) -> None:
        """key_names: each table's key attributes, by table name."""
        self.client = client
        self.reader = reader
        self.key_names = key_names

    @contextmanager
    def recording(self) -> Iterator[list[Call]]:
        calls: list[Call] = []

        def before(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
            if DynamoCalls.paused:
                return
            call = Call(model.name, copy.deepcopy(params))
            call.writes = [
                Write(table, key, self._get(table, key), transactional=transactional)
                for table, key, transactional in self._written_keys(call)
            ]
            context["bench_call"] = call

        def after(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            call: Call | None = context.pop("bench_call", None)
            if call is None:
                return
            call.response = copy.deepcopy(parsed)
            for write in call.writes:
                write.after = write.before if call.failed else self._get(write.table, write.key)
            if call.operation == "Query" and not call.failed:
                call.evaluated = self._evaluated(call)
            calls.append(call)

        events = self.client.meta.events
        events.register("before-parameter-build.dynamodb", before)
        events.register("after-call.dynamodb", after)
        try:
            yield calls
        finally:
            events.unregister("before-parameter-build.dynamodb", before)
            events.unregister("after-call.dynamodb", after)

    def _key(self, table: str, item: Item) -> Item:
        return {name: item[name] for name in self.key_names[table]}

    def _written_keys(self, call: Call) -> list[tuple[str, Item, bool]]:
        params = call.params
        if call.operation == "PutItem":
            return [(params["TableName"], self._key(params["TableName"], params["Item"]), False)]
        if call.operation in ("UpdateItem", "DeleteItem"):
            return [(params["TableName"], params["Key"], False)]
        found: list[tuple[str, Item, bool]] = []
        if call.operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                for kind, request in entry.items():
                    item = request["Item"] if kind == "Put" else request["Key"]
                    found.append((request["TableName"], self._key(request["TableName"], item), True))
        if call.operation == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    item = (
                        request["PutRequest"]["Item"]
                        if "PutRequest" in request
                        else request["DeleteRequest"]["Key"]
                    )
                    found.append((table, self._key(table, item), False))
        return found

    def _get(self, table: str, key: Item) -> Item | None:
        item: Item | None = self.reader.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        return item

    def _evaluated(self, call: Call) -> list[Item]:
        """Every item the Query read, before its filter and projection dropped any: what it is billed on."""
        if not any(name in call.params for name in FILTERS):
            items: list[Item] = call.response.get("Items", [])
            return items
        request = {name: value for name, value in call.params.items() if name not in FILTERS}
        used = set(_PLACEHOLDER.findall(request["KeyConditionExpression"]))
        for placeholders in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
            if placeholders in request:
                kept = {name: value for name, value in request[placeholders].items() if name in used}
                if kept:
                    request[placeholders] = kept
                else:
                    del request[placeholders]
        read: list[Item] = self.reader.query(**request).get("Items", [])
        return read
