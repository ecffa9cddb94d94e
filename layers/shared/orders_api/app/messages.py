"""The email as it goes out: what the mailer sends and what the preview shows, composed one way.

Apart from app.mailer, so the preview loads neither the mailer's run nor SES.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from orders_api import settings as environment
from orders_api.app import unsubscribe_links
from orders_api.domain import emails, mail_state
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.email_models import TemplateSet
from orders_api.domain.mail_rules import Outgoing
from orders_api.domain.models import Order
from orders_api.log import logger


def message_for(
    order: Order, settings: ClientSettings, outgoing: Outgoing, own: Mapping[str, Mapping[str, TemplateSet]]
) -> emails.Message:
    """`own` holds the shop's templates by kind and locale; one that fails falls back to the built-in."""
    status_email = outgoing.status_email
    message = emails.compose(
        order,
        settings,
        outgoing.kind,
        own.get(outgoing.kind, {}),
        unsubscribe_url=None
        if status_email is not None
        else unsubscribe_links.link(settings.client_id, order.customer.id, order.locale),
        default_sender=environment.current().default_sender_email,
        status_email=status_email,
    )
    if message.fallback is not None:
        logger.error(
            "shop template failed; the built-in one was sent",
            extra={
                "order_id": order.id,
                "email": outgoing.kind,
                "part": message.fallback.part,
                "line": message.fallback.line,
                "error": message.fallback.message,
            },
        )
    return replace(message, headers={**message.headers, mail_state.CLIENT_HEADER: settings.client_id})
