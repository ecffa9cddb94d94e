"""The mailer: sends due invitations, reminders and status emails, each exactly once.

A run takes the schedule's time as "now" and reads what is due from the sparse due
index (one Query per shard, never a Scan). For each due order it:

1. re-reads the order and decides, with the pure functions below, what may go out;
2. claims those emails with a write conditioned on the order's version; the same
   write records what may not go out (canceled / not_eligible and the reason);
3. sends each claimed email through SES v2;
4. records the outcome and drops the claim, again conditioned on the version.

Overlapping runs race at step 2: the loser re-reads, sees the live claim and moves
on. A claim whose lease has ended was left by a run that died between steps 2 and 4.
Its emails may have gone out, so they are recorded as sent (and counted as
unconfirmed) and never sent again: at most once, rather than possibly twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.domain import emails
from orders_api.domain import mail_state as outbox
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.invitations import blocker, next_due
from orders_api.domain.mail_state import Attempts, Claim, MailState, StatusEmail
from orders_api.domain.models import Order
from orders_api.domain.schedule import is_expired
from orders_api.log import logger
from orders_api.store.keys import format_instant
from orders_api.store.orders import OrderRecord, Repository, VersionConflict

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)
LEASE = timedelta(minutes=15)
STOP_MARGIN_MS = 20_000
WRITE_ATTEMPTS = 5

Kind = Literal["invitation", "reminder", "status"]
InvitationKind = Literal["invitation", "reminder"]

metrics = Metrics()


def status_label(email_id: str) -> str:
    return f"status:{email_id}"


@dataclass(frozen=True)
class Outgoing:
    kind: Kind
    status_email: StatusEmail | None = None

    @property
    def label(self) -> str:
        return status_label(self.status_email.id) if self.status_email else self.kind


@dataclass
class Tally:
    sent: int = 0
    reminded: int = 0
    status_sent: int = 0
    skipped: int = 0
    failed: int = 0
    retried: int = 0
    unconfirmed: int = 0

    def add(self, other: Tally) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Plan:
    order: Order
    mail: MailState
    outgoing: list[Outgoing] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    changed: bool = False
    busy: bool = False


def backoff(attempts: int) -> timedelta:
    """5, 10, 20, 40 minutes after the 1st..4th failure: time for SES to recover, yet soon."""
    return FIRST_RETRY * (1 << (attempts - 1))


def pending_kind(order: Order) -> InvitationKind | None:
    invitation = order.invitation
    if invitation.state == "scheduled":
        return "invitation"
    if invitation.state == "sent" and invitation.reminded_at is None and invitation.reminder_at is not None:
        return "reminder"
    return None


def _invitation_due(order: Order, mail: MailState, now: datetime) -> tuple[InvitationKind, datetime] | None:
    kind, moment = pending_kind(order), next_due(order.invitation)
    if kind is None or moment is None or moment > now:
        return None
    attempts = mail.attempts
    if attempts and attempts.kind == kind and attempts.retry_at and attempts.retry_at > now:
        return None
    return kind, moment


def _status_stop(order: Order) -> str | None:
    """Status emails are transactional: only a deleted order or a missing address stops them."""
    if order.deleted:
        return "deleted"
    if not order.customer.email:
        return "no_email"
    return None


def plan(order: Order, mail: MailState, now: datetime, token: str) -> Plan:
    """What a run holding `token` does with one order at `now`."""
    if mail.claim is not None and mail.claim.lease_until > now:
        return Plan(order, mail, busy=True)
    result = Plan(order, mail)
    if mail.claim is not None:
        order, mail, lapsed = settle(order, mail, mail.claim, (), mail.claim.claimed_at)
        result.tally.unconfirmed = lapsed.sent + lapsed.reminded + lapsed.status_sent
        result.changed = True
    invitation, attempts, claimed_kind = order.invitation, mail.attempts, None
    due = _invitation_due(order, mail, now)
    if due is not None:
        kind, moment = due
        stop = blocker(order) or (("not_eligible", "expired") if is_expired(moment, now) else None)
        if stop is None:
            claimed_kind = kind
            result.outgoing.append(Outgoing(kind))
        else:
            invitation = invitation.model_copy(update={"state": stop[0], "reason": stop[1]})
            attempts = None
            result.skipped.append((kind, stop[1]))
    waiting: list[StatusEmail] = []
    reason = _status_stop(order)
    for email in mail.status_emails:
        if (email.retry_at or email.queued_at) > now:
            waiting.append(email)
        elif reason is None:
            waiting.append(email)
            result.outgoing.append(Outgoing("status", email))
        else:
            result.skipped.append((status_label(email.id), reason))
    claim = None
    if result.outgoing:
        claim = Claim(
            token=token,
            claimed_at=now,
            lease_until=now + LEASE,
            invitation=claimed_kind,
            status_ids=[o.status_email.id for o in result.outgoing if o.status_email],
        )
    result.order = order.model_copy(update={"invitation": invitation})
    result.mail = MailState(status_emails=waiting, attempts=attempts, claim=claim)
    result.tally.skipped = len(result.skipped)
    result.changed = result.changed or bool(result.outgoing or result.skipped)
    return result


def settle(
    order: Order, mail: MailState, claim: Claim, failed: Collection[str], now: datetime
) -> tuple[Order, MailState, Tally]:
    """The order once the claim is over: every claimed email but those labelled in `failed` went out.

    A failure backs off and is retried by a later run, until the fifth one, which
    records the email as failed.
    """
    tally = Tally()
    invitation, attempts, kind = order.invitation, mail.attempts, claim.invitation
    if kind is not None and kind not in failed:
        if kind == "invitation":
            invitation = invitation.model_copy(update={"state": "sent", "sent_at": now, "reason": None})
            tally.sent += 1
        else:
            invitation = invitation.model_copy(
                update={"state": "reminded", "reminded_at": now, "reason": None}
            )
            tally.reminded += 1
        attempts = None
    elif kind is not None and pending_kind(order) == kind:
        count = (attempts.count if attempts and attempts.kind == kind else 0) + 1
        if count >= MAX_ATTEMPTS:
            invitation = invitation.model_copy(update={"state": "failed", "reason": "send_failed"})
            attempts = None
            tally.failed += 1
        else:
            attempts = Attempts(kind=kind, count=count, retry_at=now + backoff(count))
            tally.retried += 1
    elif kind is not None:
        attempts = None
    waiting: list[StatusEmail] = []
    for email in mail.status_emails:
        if email.id not in claim.status_ids:
            waiting.append(email)
        elif status_label(email.id) not in failed:
            tally.status_sent += 1
        elif email.attempts + 1 >= MAX_ATTEMPTS:
            tally.failed += 1
        else:
            count = email.attempts + 1
            waiting.append(email.model_copy(update={"attempts": count, "retry_at": now + backoff(count)}))
            tally.retried += 1
    settled = MailState(status_emails=waiting, attempts=attempts, claim=None)
    return order.model_copy(update={"invitation": invitation}), settled, tally


def message_for(order: Order, settings: ClientSettings, outgoing: Outgoing) -> emails.Message:
    if outgoing.status_email is not None:
        return emails.status_update(order, settings, outgoing.status_email)
    return emails.invitation(order, settings, reminder=outgoing.kind == "reminder")


@dataclass
class Summary:
    time: datetime
    due: int = 0
    busy: int = 0
    errors: int = 0
    stopped_early: bool = False
    tally: Tally = field(default_factory=Tally)

    def as_dict(self) -> dict[str, Any]:
        return {
            "time": format_instant(self.time),
            "due": self.due,
            **asdict(self.tally),
            "busy": self.busy,
            "errors": self.errors,
            "stopped_early": self.stopped_early,
        }


class Mailer:
    def __init__(self, repository: Repository | None = None) -> None:
        self._repository = repository

    @property
    def repository(self) -> Repository:
        """Built on first use, so importing the handler costs no AWS setup."""
        if self._repository is None:
            self._repository = Repository()
        return self._repository

    def run(self, now: datetime, remaining_ms: Callable[[], int]) -> Summary:
        """One pass over everything due by `now`; stops claiming when the Lambda time runs short."""
        summary = Summary(time=now)
        settings: dict[str, ClientSettings] = {}
        for client_id, order_id in self.repository.due_orders(now):
            if remaining_ms() < STOP_MARGIN_MS:
                summary.stopped_early = True
                break
            summary.due += 1
            try:
                self._handle(client_id, order_id, now, summary, settings)
            except Exception:
                summary.errors += 1
                logger.exception("order not handled", extra={"client_id": client_id, "order_id": order_id})
        return summary

    def _handle(
        self,
        client_id: str,
        order_id: str,
        now: datetime,
        summary: Summary,
        settings: dict[str, ClientSettings],
    ) -> None:
        token = uuid.uuid4().hex
        for _ in range(WRITE_ATTEMPTS):
            record = self.repository.get_order(client_id, order_id)
            if record is None:
                return
            chosen = plan(record.order, MailState.load(record.mail), now, token)
            if chosen.busy:
                summary.busy += 1
                return
            if not chosen.changed:
                return
            try:
                claimed = self._write(client_id, chosen.order, chosen.mail, record.order.version)
            except VersionConflict:
                continue
            break
        else:
            logger.warning("order kept changing; left for the next run", extra={"order_id": order_id})
            return
        summary.tally.add(chosen.tally)
        for what, reason in chosen.skipped:
            logger.info("email not sent", extra={"order_id": order_id, "email": what, "reason": reason})
        if not chosen.outgoing:
            return
        if client_id not in settings:
            stored = self.repository.get_client_settings(client_id)
            settings[client_id] = ClientSettings.stored(client_id, stored)
        failed = self._send(claimed.order, settings[client_id], chosen.outgoing)
        self._record(client_id, claimed, token=token, failed=failed, now=now, summary=summary)

    def _send(self, order: Order, settings: ClientSettings, outgoing: list[Outgoing]) -> set[str]:
        """Sends each email on its own: one failing never stops the others."""
        failed: set[str] = set()
        for email in outgoing:
            try:
                emails.send(message_for(order, settings, email))
            except Exception:
                failed.add(email.label)
                logger.exception("send failed", extra={"order_id": order.id, "email": email.label})
        return failed

    def _record(
        self,
        client_id: str,
        claimed: OrderRecord,
        *,
        token: str,
        failed: set[str],
        now: datetime,
        summary: Summary,
    ) -> None:
        """Writes the outcome, re-reading when someone changed the order meanwhile."""
        record: OrderRecord | None = claimed
        for _ in range(WRITE_ATTEMPTS):
            if record is None:
                return
            mail = MailState.load(record.mail)
            if mail.claim is None or mail.claim.token != token:
                logger.warning("claim settled by another run", extra={"order_id": claimed.order.id})
                return
            order, settled, tally = settle(record.order, mail, mail.claim, failed, now)
            try:
                self._write(client_id, order, settled, record.order.version)
            except VersionConflict:
                record = self.repository.get_order(client_id, claimed.order.id)
                continue
            summary.tally.add(tally)
            return
        logger.error("outcome not recorded; the lease will settle it", extra={"order_id": claimed.order.id})

    def _write(self, client_id: str, order: Order, mail: MailState, version: int) -> OrderRecord:
        record = OrderRecord(order.model_copy(update={"version": version + 1}), mail.dump())
        self.repository.save_order(
            client_id, record, expected_version=version, due_at=outbox.due_at(record.order, mail)
        )
        return record


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
