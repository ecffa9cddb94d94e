"""The mailer function's entry: the EventBridge schedule's event in, the run's summary and metrics out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.app.mailer import Mailer, Summary
from orders_api.log import logger

metrics = Metrics()


def scheduled_time(event: dict[str, Any]) -> datetime:
    """The schedule's time is "now", so a late or retried invocation acts as of its own slot."""
    raw = event.get("time")
    if raw is None:
        return datetime.now(UTC)
    parsed = datetime.fromisoformat(str(raw))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def publish(summary: Summary) -> None:
    tally = summary.tally
    for name, value in (
        ("InvitationsSent", tally.sent),
        ("RemindersSent", tally.reminded),
        ("StatusEmailsSent", tally.status_sent),
        ("EmailsSkipped", tally.skipped),
        ("EmailsRetried", tally.retried),
        ("EmailsFailed", tally.failed),
        ("EmailsUnconfirmed", tally.unconfirmed),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


_mailer = Mailer()


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The scheduled run; answers its summary (also what /_local/schedule/run shows)."""
    summary = _mailer.run(scheduled_time(event), context.get_remaining_time_in_millis)
    publish(summary)
    result = summary.as_dict()
    logger.info("mailer run done", extra=result)
    return result
