"""The one table and the client that reaches it, and what every store does with them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from orders_api import settings
from orders_api.adapters import aws

# DynamoDB's item limit is 400 KB; a document keeps a margin for attribute names and index keys.
MAX_DOCUMENT_BYTES = 380_000


class Table(NamedTuple):
    """The table's name and the client that reaches it: the container's one DynamoDB client."""

    name: str
    client: Any

    @classmethod
    def default(cls) -> Table:
        """The function's table (TABLE_NAME) through the container's one DynamoDB client."""
        return cls(settings.current().table_name, aws.dynamodb())


class TableStore:
    """A store of some of the table's items: the table's name and client, and its Query pages."""

    def __init__(self, table: Table | None = None) -> None:
        table = table or Table.default()
        self.table = table.name
        self.client: Any = table.client

    def item_at(self, key: dict[str, Any], *, consistent: bool) -> dict[str, Any] | None:
        """The item at key (one GetItem), or None."""
        item: dict[str, Any] | None = self.client.get_item(
            TableName=self.table, Key=key, ConsistentRead=consistent
        ).get("Item")
        return item

    def items_at(self, wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items at those keys that exist, read consistently in one round trip (BatchGetItem; again
        for the keys DynamoDB leaves unprocessed)."""
        found: list[dict[str, Any]] = []
        while wanted:
            response = self.client.batch_get_item(
                RequestItems={self.table: {"Keys": wanted, "ConsistentRead": True}}
            )
            found.extend(response.get("Responses", {}).get(self.table, []))
            wanted = response.get("UnprocessedKeys", {}).get(self.table, {}).get("Keys", [])
        return found

    def query_pages(self, **query: Any) -> Iterator[dict[str, Any]]:
        """Each page of one Query, following LastEvaluatedKey; a caller that stops early reads no further."""
        request: dict[str, Any] = {"TableName": self.table, **query}
        while True:
            response: dict[str, Any] = self.client.query(**request)
            yield response
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def query_items(self, **query: Any) -> list[dict[str, Any]]:
        """Every item of one Query, page after page."""
        return [item for page in self.query_pages(**query) for item in page.get("Items", [])]
