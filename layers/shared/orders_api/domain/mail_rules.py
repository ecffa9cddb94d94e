"""The mailer's rules: what a run may send for one order at a moment, and the order once it has.

Pure: given the order, its mail state and the time, `plan` decides what to claim and what to
record as not sent (with the reason); `settle` applies the outcome of the sends.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Literal

from orders_api.domain.invitations import InvitationKind, blocker, next_due, pending_kind
from orders_api.domain.mail_state import Attempts, Claim, MailState, StatusEmail
from orders_api.domain.models import InvitationState, Order
from orders_api.domain.schedule import is_expired
from orders_api.domain.template_variables import StatusNote

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)
LEASE = timedelta(minutes=15)

Kind = Literal["invitation", "reminder", "status"]


def status_label(email_id: str) -> str:
    return f"status:{email_id}"


@dataclass(frozen=True)
class Outgoing:
    """One email a due order sends now: its kind and, for a status email, which one."""

    kind: Kind
    status_email: StatusEmail | None = None

    @property
    def label(self) -> str:
        return status_label(self.status_email.id) if self.status_email else self.kind

    @property
    def status(self) -> StatusNote | None:
        """What a status email tells; None for an invitation or reminder."""
        email = self.status_email
        return StatusNote(email.status, email.note) if email else None


@dataclass
class Tally:
    """Counts of what the mailer did, added up per order and per run."""

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
    """What the mailer does with one due order: the emails to send and those skipped, with why."""

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


def _invitation_due(order: Order, mail: MailState, now: datetime) -> tuple[InvitationKind, datetime] | None:
    kind, moment = pending_kind(order), next_due(order.invitation)
    if kind is None or moment is None or moment > now:
        return None
    attempts = mail.attempts
    if attempts and attempts.kind == kind and attempts.retry_at and attempts.retry_at > now:
        return None
    return kind, moment


def _status_stop(order: Order, suppressed: str | None) -> str | None:
    """Status emails are transactional: only a deleted order, a missing or a suppressed address stops them."""
    if suppressed is not None:
        return suppressed
    if order.deleted:
        return "deleted"
    if not order.customer.email:
        return "no_email"
    return None


def _invitation_stop(
    order: Order,
    kind: InvitationKind,
    moment: datetime,
    now: datetime,
    *,
    suppressed: str | None,
    capped: bool,
) -> tuple[InvitationState, str] | None:
    if suppressed is not None:
        return "canceled", suppressed
    stop = blocker(order)
    if stop is not None:
        return stop
    if is_expired(moment, now):
        return "not_eligible", "expired"
    if capped and kind == "invitation":
        return "not_eligible", "capped"
    return None


def plan(
    order: Order,
    mail: MailState,
    now: datetime,
    token: str,
    *,
    suppressed: str | None = None,
    capped: bool = False,
) -> Plan:
    """What a run holding `token` does with one order at `now`.

    `suppressed` is the reason the customer's address no longer gets mail (bounced,
    complained); `capped` says the address had its share of invitations already.
    """
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
        stop = _invitation_stop(order, kind, moment, now, suppressed=suppressed, capped=capped)
        if stop is None:
            claimed_kind = kind
            result.outgoing.append(Outgoing(kind))
        else:
            invitation = invitation.model_copy(update={"state": stop[0], "reason": stop[1]})
            attempts = None
            result.skipped.append((kind, stop[1]))
    waiting: list[StatusEmail] = []
    reason = _status_stop(order, suppressed)
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
