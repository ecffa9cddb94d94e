"""The preview of an order's email: the mailer's own composition, without sending or recording.

From the order as stored and shown, so the preview loads neither pydantic nor the models.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from orders_api.app.messages import message_for
from orders_api.app.stores import UsesStores
from orders_api.domain.email_settings import EmailSettings
from orders_api.domain.emails import Message
from orders_api.domain.errors import Conflict, NotFound
from orders_api.domain.template_sets import TemplateKind
from orders_api.domain.template_variables import StatusNote


def _status_note(order: Mapping[str, Any], mail: Mapping[str, Any]) -> StatusNote:
    """The latest queued status email (orders_api.domain.mail_state, as stored); with none queued, one
    about the order's current status."""
    queued = mail.get("status_emails") or []
    if queued:
        return StatusNote(queued[-1]["status"], queued[-1].get("note"))
    history = order["status_history"]
    return StatusNote(order["status"], history[0]["note"] if history else None)


class Previews(UsesStores):
    def preview(self, settings: EmailSettings, order_id: str, kind: TemplateKind) -> Message:
        found = self.documents.order_and_mail(settings.client_id, order_id)
        if found is None:
            raise NotFound(f"Order {order_id!r} does not exist.")
        shown, mail = found
        order = json.loads(shown.json)
        if not order["customer"]["email"]:
            raise Conflict(
                f"Order {order_id!r} has no customer email address, so no email can go out for it."
            )
        status = _status_note(order, mail) if kind == "status" else None
        return message_for(order, settings, kind, status, self.templates.by_kind(settings.client_id))
