"""The mailer function's entry: the EventBridge schedule's event in, the run's summary and metrics out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.app.clock import utcnow
from orders_api.app.mailer import Mailer, Summary
from orders_api.log import logger

metrics = Metrics()
_LAST_MICROSECOND = timedelta(seconds=1) - timedelta(microseconds=1)


def scheduled_time(event: dict[str, Any], clock: Callable[[], datetime] = utcnow) -> datetime:
    """The run's "now": the schedule's time, so a late or retried invocation acts as of its own slot
    and a test or a local run can pick its moment.

    EventBridge Scheduler writes that time in whole seconds (<aws.scheduler.scheduled-time>) and
    the run starts a fraction later: a status email queued in between (due at 03:00:00.400, the
    run starting at 03:00:00.900 with time 03:00:00) would wait a whole schedule interval. So a
    time in whole seconds stands for its whole second: it is the clock while the clock is within
    that second, the second's last microsecond once the clock is past it. A time the clock has not
    reached (a test's) or one with a fraction (the local runtime's) is taken as it is.
    """
    now = clock()
    raw = event.get("time")
    if raw is None:
        return now
    parsed = datetime.fromisoformat(str(raw))
    moment = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    if moment.microsecond or now < moment:
        return moment
    return min(now, moment + _LAST_MICROSECOND)


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
