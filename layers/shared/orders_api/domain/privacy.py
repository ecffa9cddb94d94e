"""What erasure and SES feedback do to one order: pure rules, so they are tested without AWS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from orders_api.domain.invitations import pending_kind
from orders_api.domain.mail_state import MailState
from orders_api.domain.models import Customer, Order, Suppression


def erased_order(order: Order, now: datetime) -> Order:
    """The order without personal data; what it still owed the customer ends with reason erased."""
    if order.customer.erased:
        return order
    invitation = order.invitation
    if pending_kind(order) is not None or invitation.state is None:
        invitation = invitation.model_copy(update={"state": "canceled", "reason": "erased"})
    kept = order.customer
    customer = Customer(
        id=kept.id, opt_out=kept.opt_out, erased=True, created_at=kept.created_at, updated_at=now
    )
    return order.model_copy(update={"customer": customer, "invitation": invitation})


def stopped(reason: Suppression) -> Callable[[Order, datetime], Order]:
    """Ends what is pending for a bounced or complaining address with that reason."""

    def mutate(order: Order, now: datetime) -> Order:
        if pending_kind(order) is None:
            return order
        return order.model_copy(
            update={"invitation": order.invitation.model_copy(update={"state": "canceled", "reason": reason})}
        )

    return mutate


def no_status_emails(mail: MailState, order: Order, now: datetime) -> MailState:
    """Status emails still queued are dropped: the address is gone or no longer takes mail."""
    return mail.model_copy(update={"status_emails": []})
