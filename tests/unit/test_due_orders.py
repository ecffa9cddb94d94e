"""The due index's shards, read by the mailer: their first pages at once, then merged oldest first."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from orders_api.store import keys
from orders_api.store.orders import Due, Repository
from orders_api.store.table import Table

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


class ShardsThatWaitForEachOther:
    """A DynamoDB client whose first Query of each shard answers only once every shard's has started:
    shards read one after the other would never get past the first."""

    def __init__(self, entries: dict[str, list[tuple[str, str]]]) -> None:
        self.entries = entries
        self.all_started = threading.Barrier(len(keys.DUE_SHARD_NAMES), timeout=10)
        self.first_pages: set[str] = set()
        self.lock = threading.Lock()

    def query(self, **request: Any) -> dict[str, Any]:
        shard = request["ExpressionAttributeValues"][":shard"]["S"]
        with self.lock:
            first = shard not in self.first_pages
            self.first_pages.add(shard)
        if first:
            self.all_started.wait()
        start = request.get("ExclusiveStartKey", {}).get("due_sk", {}).get("S", "")
        bound = request["ExpressionAttributeValues"][":bound"]["S"]
        later = [(sk, pk) for sk, pk in self.entries.get(shard, []) if start < sk < bound]
        page = later[: request["Limit"]]
        answer: dict[str, Any] = {"Items": [{"due_sk": {"S": sk}, "pk": {"S": pk}} for sk, pk in page]}
        if len(later) > len(page):
            answer["LastEvaluatedKey"] = {"due_sk": {"S": page[-1][0]}}
        return answer


def due_entries(count: int, first_minute: int = 0) -> dict[str, list[tuple[str, str]]]:
    """`count` orders due a minute apart from 09:first_minute, each in its own shard's list, oldest first."""
    entries: dict[str, list[tuple[str, str]]] = {}
    for n in range(count):
        order_id = f"O{first_minute + n}"
        due_at = f"2026-11-30T{9 + (first_minute + n) // 60:02d}:{(first_minute + n) % 60:02d}:00.000000Z"
        entry = (keys.due_sort_key(due_at, "shop", order_id, None), keys.order_pk("shop", order_id))
        entries.setdefault(keys.due_shard("shop", order_id), []).append(entry)
    return entries


def test_the_shards_are_read_at_once_and_merged_oldest_first() -> None:
    client = ShardsThatWaitForEachOther(due_entries(30))
    repository = Repository(Table("OrdersTable", client))

    due = list(repository.due_orders(NOW, page_size=2))

    assert due == [Due("shop", f"O{n}", None) for n in range(30)]
    assert client.first_pages == set(keys.DUE_SHARD_NAMES)


def test_empty_shards_and_orders_not_yet_due_are_left_out() -> None:
    """One order due and one due after the run's time (10:00): seven shards answer nothing."""
    entries = due_entries(1)
    later = due_entries(1, first_minute=61)
    for shard, listed in later.items():
        entries.setdefault(shard, []).extend(listed)
    client = ShardsThatWaitForEachOther(entries)

    due = list(Repository(Table("OrdersTable", client)).due_orders(NOW))

    assert due == [Due("shop", "O0", None)]
    assert client.first_pages == set(keys.DUE_SHARD_NAMES)
