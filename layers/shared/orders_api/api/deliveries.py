"""The delivery function's entry: a batch from the delivery queue, each message one attempt.

Messages are attempted side by side, so one slow endpoint holds up no other in the batch. A failed
attempt sets its message's visibility timeout to the next backoff and is reported as a batch item
failure; SQS then hands it back when the wait is over, counting receives as attempts. After the last
attempt the message becomes visible at once and the queue's redrive policy moves it to the
dead-letter queue on its next receive.
"""

from __future__ import annotations

import threading
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api import settings
from orders_api.adapters import queue
from orders_api.app.delivery import Deliverer
from orders_api.domain.webhooks import Outcome, retry_delay
from orders_api.log import logger

metrics = Metrics()
_deliverer = Deliverer()


def _attempt(record: dict[str, Any]) -> Outcome:
    attempt = int(record.get("attributes", {}).get("ApproximateReceiveCount", "1"))
    try:
        result = _deliverer.deliver(record["body"], attempt)
    except Exception:
        logger.exception("webhook attempt failed", extra={"message_id": record.get("messageId")})
        result = "retry" if retry_delay(attempt) is not None else "dropped"
    if result != "delivered":
        delay = retry_delay(attempt) or 0
        scaled = max(1, round(delay * settings.current().webhook_retry_scale)) if delay else 0
        queue.retry_later(record["receiptHandle"], scaled)
    return result


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records", [])
    results: list[Outcome] = ["retry"] * len(records)

    def attempt(index: int) -> None:
        results[index] = _attempt(records[index])

    # Daemon threads rather than an executor, whose workers a stopping local runtime would wait for.
    threads = [threading.Thread(target=attempt, args=(n,), daemon=True) for n in range(len(records))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds: tuple[tuple[str, Outcome], ...] = (
        ("WebhooksDelivered", "delivered"),
        ("WebhookRetries", "retry"),
        ("WebhooksDropped", "dropped"),
    )
    for name, kind in kinds:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=results.count(kind))
    return {
        "batchItemFailures": [
            {"itemIdentifier": record["messageId"]}
            for record, result in zip(records, results, strict=True)
            if result != "delivered"
        ]
    }
