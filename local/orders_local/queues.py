"""A queue driving its function, as Lambda's SQS event source mapping would.

Up to 10 messages a batch, in the event shape Lambda sends; messages the function handled are
deleted, failed ones stay on the queue for SQS to hand back when their visibility timeout ends.
"""

from __future__ import annotations

from typing import Any

import boto3

from orders_local.polling import EVENT_SOURCE_INTERVAL, Poller
from orders_local.resources import queue_arn
from orders_local.runtime import FunctionRuntime


class QueuePoller(Poller):
    name = "queue"

    def __init__(
        self, runtime: FunctionRuntime, function: str, queue_url: str, interval: float = EVENT_SOURCE_INTERVAL
    ) -> None:
        super().__init__(interval)
        self.runtime = runtime
        self.function = function
        self.url = queue_url
        self.arn = queue_arn(queue_url)
        self.sqs = boto3.client("sqs")

    def poll_once(self) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=self.url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            return 0
        result = (
            self.runtime.invoke(self.function, {"Records": [self._record(dict(m)) for m in messages]}) or {}
        )
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)],
            )
        return len(messages)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.arn,
            "awsRegion": self.sqs.meta.region_name,
        }
