"""The email as it goes out: what the mailer sends and what the preview shows, composed one way.

Apart from app.mailer, so the preview loads neither the mailer's run nor SES; from the order as the
API shows it, so it loads no models either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from orders_api import settings as environment
from orders_api.app import unsubscribe_links
from orders_api.domain import emails
from orders_api.domain.email_settings import EmailSettings
from orders_api.domain.email_tags import CLIENT_HEADER
from orders_api.domain.template_sets import TemplateSet
from orders_api.domain.template_variables import StatusNote
from orders_api.log import logger


def message_for(
    order: Mapping[str, Any],
    settings: EmailSettings,
    kind: str,
    status: StatusNote | None,
    own: Mapping[str, Mapping[str, TemplateSet]],
) -> emails.Message:
    """An email of `kind` about the shown order; a status email tells `status` and has no unsubscribe
    link. `own` holds the shop's templates by kind and locale; one that fails falls back to the built-in."""
    message = emails.compose(
        order,
        settings,
        kind,
        own.get(kind, {}),
        unsubscribe_url=None
        if kind == "status"
        else unsubscribe_links.link(settings.client_id, order["customer"]["id"], order["locale"]),
        default_sender=environment.current().default_sender_email,
        status=status,
    )
    if message.fallback is not None:
        logger.error(
            "shop template failed; the built-in one was sent",
            extra={
                "order_id": order["id"],
                "email": kind,
                "part": message.fallback.part,
                "line": message.fallback.line,
                "error": message.fallback.message,
            },
        )
    return replace(message, headers={**message.headers, CLIENT_HEADER: settings.client_id})
