"""What the stack's event buses received, for GET /_local/events.

EventBridge keeps no list of the events put on a bus, so a rule on each bus sends every event to
a local queue, which this drains, oldest first, into memory.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import boto3

from orders_local.polling import EVENT_SOURCE_INTERVAL, Poller
from orders_local.resources import queue_arn

RECORDER_QUEUE = "LocalBusRecorder"


class BusRecorder(Poller):
    name = "bus"

    def __init__(self, buses: list[str], interval: float = EVENT_SOURCE_INTERVAL) -> None:
        super().__init__(interval)
        self.sqs = boto3.client("sqs")
        self.url = str(self.sqs.create_queue(QueueName=RECORDER_QUEUE)["QueueUrl"])
        events = boto3.client("events")
        for bus in buses:
            events.put_rule(
                Name=f"{bus}-local-recorder",
                EventBusName=bus,
                EventPattern=json.dumps({"account": [_account()]}),
            )
            events.put_targets(
                Rule=f"{bus}-local-recorder",
                EventBusName=bus,
                Targets=[{"Id": "recorder", "Arn": queue_arn(self.url)}],
            )
        self._seen: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def events(self) -> list[dict[str, Any]]:
        """Every event put so far (each entry's detail), oldest first."""
        while self.poll_once():
            pass
        with self._lock:
            return list(self._seen)

    def poll_once(self) -> int:
        with self._lock:
            messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
            for message in messages:
                self._seen.append(json.loads(message["Body"])["detail"])
            if messages:
                self.sqs.delete_message_batch(
                    QueueUrl=self.url,
                    Entries=[
                        {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)
                    ],
                )
            return len(messages)


def _account() -> str:
    return str(boto3.client("sts").get_caller_identity()["Account"])
