"""The webhook delivery queue: one message per event and endpoint, sent ten at a time."""

from __future__ import annotations

from collections.abc import Sequence

from orders_api import settings
from orders_api.adapters import aws

BATCH = 10


def send(bodies: Sequence[str]) -> int:
    """Sends every body; raises when SQS refuses one. Answers the number of SendMessageBatch calls."""
    url = settings.current().delivery_queue
    calls = 0
    for start in range(0, len(bodies), BATCH):
        chunk = bodies[start : start + BATCH]
        response = aws.sqs().send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": body} for n, body in enumerate(chunk)]
        )
        calls += 1
        if response.get("Failed"):
            raise RuntimeError(f"SQS refused {len(response['Failed'])} delivery messages")
    return calls


def retry_later(receipt_handle: str, seconds: int) -> None:
    """The message comes back after `seconds`: the retry's backoff, without holding up other messages."""
    aws.sqs().change_message_visibility(
        QueueUrl=settings.current().delivery_queue, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
    )
