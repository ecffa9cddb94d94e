"""The table's stream driving its function, as Lambda's DynamoDB event source mapping would.

Each shard is read in order, up to 100 records a batch, in the event shape Lambda sends. A batch
item failure makes the next poll start again at the failed record, so records before it are not
sent twice; a record that still fails after MAX_RETRIES is skipped, where Lambda would send it to
the mapping's on-failure destination.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from typing import Any

import boto3

from orders_local.polling import Poller
from orders_local.runtime import FunctionRuntime

logger = logging.getLogger("orders_local.stream")
BATCH_SIZE = 100
MAX_RETRIES = 5


class StreamPoller(Poller):
    name = "stream"

    def __init__(
        self, runtime: FunctionRuntime, function: str, table: str, interval: float = 0.2, streams: Any = None
    ) -> None:
        super().__init__(interval)
        self.runtime = runtime
        self.function = function
        self.streams = streams or boto3.client("dynamodbstreams")
        self.stream_arn = boto3.client("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
        self._iterators: dict[str, str | None] = {}
        self._failures: dict[str, int] = {}

    def poll_once(self) -> int:
        handled = 0
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            handled += self._poll_shard(shard["ShardId"])
        return handled

    def _poll_shard(self, shard_id: str) -> int:
        if shard_id not in self._iterators:
            self._iterators[shard_id] = self._iterator(shard_id, "TRIM_HORIZON")
        iterator = self._iterators[shard_id]
        if iterator is None:
            return 0
        response = self.streams.get_records(ShardIterator=iterator, Limit=BATCH_SIZE)
        records = [_lambda_record(dict(r), self.stream_arn) for r in response.get("Records", [])]
        if not records:
            self._iterators[shard_id] = response.get("NextShardIterator")
            return 0
        result = self.runtime.invoke(self.function, {"Records": records}) or {}
        failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        if not failures:
            self._iterators[shard_id] = response.get("NextShardIterator")
            return len(records)
        first = min(failures, key=int)
        retries = self._failures[first] = self._failures.get(first, 0) + 1
        if retries > MAX_RETRIES:
            logger.error("stream record %s failed %d times; skipped", first, retries - 1)
            self._iterators[shard_id] = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", first)
        else:
            self._iterators[shard_id] = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", first)
        done = [r for r in records if int(r["dynamodb"]["SequenceNumber"]) < int(first)]
        return len(done)

    def _iterator(self, shard_id: str, kind: str, sequence: str | None = None) -> str:
        arguments: dict[str, Any] = {
            "StreamArn": self.stream_arn,
            "ShardId": shard_id,
            "ShardIteratorType": kind,
        }
        if sequence is not None:
            arguments["SequenceNumber"] = sequence
        return str(self.streams.get_shard_iterator(**arguments)["ShardIterator"])


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """boto3 parses times and binary values; Lambda's event carries epoch seconds and base64 text."""
    shaped: dict[str, Any] = _json_ready(record)
    shaped["eventSourceARN"] = stream_arn
    return shaped


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
