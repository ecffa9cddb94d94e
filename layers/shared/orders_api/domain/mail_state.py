"""Emails an order owes its customer, and when the mailer must next look at it.

The invitation and reminder are described by the order's `invitation`; status
emails queued by `notify_customer` wait here until the mailer sends them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from orders_api.domain.base_models import Wire
from orders_api.domain.invitations import next_due
from orders_api.domain.models import Note, Order
from orders_api.domain.scalars import Instant
from orders_api.domain.status import Status


class StatusEmail(Wire):
    id: str
    status: Status
    note: Note | None = None
    queued_at: Instant
    attempts: int = 0
    retry_at: Instant | None = None


class Attempts(Wire):
    """Failed sends of the invitation or reminder, for backoff."""

    kind: Literal["invitation", "reminder"]
    count: int = 0
    retry_at: Instant | None = None


class Claim(Wire):
    """Emails one mailer run is sending, written before the send so that no other run sends them.

    Once lease_until has passed they count as possibly sent, and are never sent again.
    """

    token: str
    claimed_at: Instant
    lease_until: Instant
    invitation: Literal["invitation", "reminder"] | None = None
    status_ids: list[str] = Field(default_factory=list)


class MailState(Wire):
    status_emails: list[StatusEmail] = Field(default_factory=list)
    attempts: Attempts | None = None
    claim: Claim | None = None

    @classmethod
    def load(cls, raw: dict[str, Any]) -> MailState:
        return cls.model_validate(raw)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)


def due_at(order: Order, mail: MailState) -> datetime | None:
    """The earliest moment any email of this order is due; None keeps it out of the due index.

    While a run holds a claim the order waits for the lease to end: the run records
    the claim's outcome before that, and if it died the next run after it settles it.
    """
    if mail.claim is not None:
        return mail.claim.lease_until
    moments: list[datetime] = [e.retry_at or e.queued_at for e in mail.status_emails]
    invitation_due = next_due(order.invitation)
    if invitation_due is not None:
        retry = mail.attempts.retry_at if mail.attempts else None
        moments.append(max(invitation_due, retry) if retry else invitation_due)
    return min(moments) if moments else None
