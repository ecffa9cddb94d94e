"""The events function's entry: a batch of the table's stream records, ReportBatchItemFailures out.

Lambda retries a stream batch from the lowest sequence number reported, so reporting the first
record that failed is enough: every later record comes again with it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.app.events import EventsRun
from orders_api.log import logger

metrics = Metrics()
_run = EventsRun()


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records", [])
    outcome = _run.process(records)
    metrics.add_metric(name="EventsPublished", unit=MetricUnit.Count, value=len(outcome.events))
    metrics.add_metric(name="WebhookMessagesQueued", unit=MetricUnit.Count, value=outcome.messages)
    logger.info(
        "stream batch done",
        extra={"records": len(records), "events": len(outcome.events), "put_calls": outcome.put_calls},
    )
    if outcome.failed is None:
        return {"batchItemFailures": []}
    return {"batchItemFailures": [{"itemIdentifier": records[outcome.failed]["dynamodb"]["SequenceNumber"]}]}
