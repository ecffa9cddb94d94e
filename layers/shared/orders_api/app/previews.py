"""The preview of an order's email: the mailer's own composition, without sending or recording."""

from __future__ import annotations

from orders_api.app.messages import message_for
from orders_api.app.stores import UsesStores
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.emails import Message
from orders_api.domain.errors import Conflict, NotFound
from orders_api.domain.mail_rules import Kind, Outgoing
from orders_api.domain.mail_state import MailState, StatusEmail
from orders_api.domain.models import Order


def _status_email(order: Order, mail: MailState) -> StatusEmail:
    """The latest queued status email; with none queued, one about the order's current status."""
    if mail.status_emails:
        return mail.status_emails[-1]
    note = order.status_history[0].note if order.status_history else None
    return StatusEmail(id="preview", status=order.status, note=note, queued_at=order.updated_at)


class Previews(UsesStores):
    def preview(self, settings: ClientSettings, order_id: str, kind: Kind) -> Message:
        record = self.repository.get_order(settings.client_id, order_id)
        if record is None:
            raise NotFound(f"Order {order_id!r} does not exist.")
        order = record.order
        if not order.customer.email:
            raise Conflict(
                f"Order {order_id!r} has no customer email address, so no email can go out for it."
            )
        status_email = _status_email(order, MailState.load(record.mail)) if kind == "status" else None
        outgoing = Outgoing(kind=kind, status_email=status_email)
        return message_for(order, settings, outgoing, self.templates.by_kind(settings.client_id))
