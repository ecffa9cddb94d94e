"""The table's stream driving its function, as Lambda's DynamoDB event source mapping would.

Each shard is read in order, up to the mapping's BatchSize records a batch, in the event shape
Lambda sends, less the records its FilterCriteria leave out. A batch item failure makes the next
poll start again at the failed record, so records before it are not sent twice; a function error
starts it again at the batch's first record. A record that still fails after the mapping's
MaximumRetryAttempts goes, as Lambda sends it, to the on-failure destination: a message naming the
record (shard and sequence number, no data), and reading goes on after it.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3

from orders_local.polling import EVENT_SOURCE_INTERVAL, Poller
from orders_local.runtime import ACCOUNT_ID, FunctionRuntime
from orders_local.template import StreamSource

logger = logging.getLogger("orders_local.stream")


class StreamPoller(Poller):
    name = "stream"

    def __init__(
        self,
        runtime: FunctionRuntime,
        function: str,
        source: StreamSource,
        dead_letters: str | None = None,
        *,
        interval: float = EVENT_SOURCE_INTERVAL,
        streams: Any = None,
    ) -> None:
        """`dead_letters` is the URL of the source's on-failure queue; without one a spent record is dropped."""
        super().__init__(interval)
        self.runtime = runtime
        self.function = function
        self.source = source
        self.dead_letters = dead_letters
        self.streams = streams or boto3.client("dynamodbstreams")
        self.stream_arn = boto3.client("dynamodb").describe_table(TableName=source.table)["Table"][
            "LatestStreamArn"
        ]
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
        response = self.streams.get_records(ShardIterator=iterator, Limit=self.source.batch_size)
        read = [_lambda_record(dict(r), self.stream_arn) for r in response.get("Records", [])]
        records = [r for r in read if self._wanted(r)]
        if not records:
            self._iterators[shard_id] = response.get("NextShardIterator")
            return len(read)
        error: str | None = None
        try:
            result = self.runtime.invoke(self.function, {"Records": records}) or {}
            failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
        except Exception as failure:
            # The type only: an exception's text may quote the record, personal data included.
            error = type(failure).__name__
            logger.error("%s raised %s on a stream batch; the batch comes again", self.function, error)
            failures = [records[0]["dynamodb"]["SequenceNumber"]]
        if not failures:
            self._iterators[shard_id] = response.get("NextShardIterator")
            return len(records)
        first = min(failures, key=int)
        done = len([r for r in records if int(r["dynamodb"]["SequenceNumber"]) < int(first)])
        attempts = self._failures[first] = self._failures.get(first, 0) + 1
        if 0 <= self.source.max_retries < attempts:
            del self._failures[first]
            self._give_up(shard_id, records[done], attempts, error)
            self._iterators[shard_id] = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", first)
            return done + 1
        self._iterators[shard_id] = self._iterator(shard_id, "AT_SEQUENCE_NUMBER", first)
        return done

    def _wanted(self, record: dict[str, Any]) -> bool:
        return not self.source.filters or any(matches(pattern, record) for pattern in self.source.filters)

    def _give_up(self, shard_id: str, record: dict[str, Any], attempts: int, error: str | None) -> None:
        """Sends the record's metadata, never its data, to the on-failure queue, as Lambda would."""
        sequence = record["dynamodb"]["SequenceNumber"]
        if self.dead_letters is None:
            logger.error("stream record %s failed %d times; dropped", sequence, attempts)
            return
        boto3.client("sqs").send_message(
            QueueUrl=self.dead_letters,
            MessageBody=json.dumps(self._failure_record(shard_id, record, attempts, error)),
        )
        logger.error("stream record %s failed %d times; sent to the on-failure queue", sequence, attempts)

    def _failure_record(
        self, shard_id: str, record: dict[str, Any], attempts: int, error: str | None
    ) -> dict[str, Any]:
        """The invocation record Lambda sends for a stream batch whose retries are spent (one record here)."""
        arrived = datetime.fromtimestamp(float(record["dynamodb"].get("ApproximateCreationDateTime", 0)), UTC)
        arrival = arrived.isoformat(timespec="seconds").replace("+00:00", "Z")
        sequence = record["dynamodb"]["SequenceNumber"]
        response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
        if error is not None:
            response["functionError"] = "Unhandled"
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{self.runtime.region}:{ACCOUNT_ID}:function:{self.function}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": response,
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": sequence,
                "endSequenceNumber": sequence,
                "approximateArrivalOfFirstRecord": arrival,
                "approximateArrivalOfLastRecord": arrival,
                "batchSize": 1,
                "streamArn": self.stream_arn,
            },
        }

    def _iterator(self, shard_id: str, kind: str, sequence: str | None = None) -> str:
        arguments: dict[str, Any] = {
            "StreamArn": self.stream_arn,
            "ShardId": shard_id,
            "ShardIteratorType": kind,
        }
        if sequence is not None:
            arguments["SequenceNumber"] = sequence
        return str(self.streams.get_shard_iterator(**arguments)["ShardIterator"])


def matches(pattern: dict[str, Any], record: dict[str, Any]) -> bool:
    """Lambda's event filtering for the patterns the template uses: nested fields, each a list of values."""
    for field, wanted in pattern.items():
        value = record.get(field)
        if isinstance(wanted, dict):
            if not isinstance(value, dict) or not matches(wanted, value):
                return False
        elif not isinstance(wanted, list) or any(isinstance(w, dict) for w in wanted):
            raise ValueError(f"filter pattern for {field!r}: only lists of values are supported locally")
        elif value not in wanted:
            return False
    return True


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
