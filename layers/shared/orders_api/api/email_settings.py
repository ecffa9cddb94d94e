"""The calling client's settings as an email reads them: for the functions that run without pydantic
(orders_api.api.wire has the whole ClientSettings for the others)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from orders_api.api.resolver import authorizer_context, caller_id
from orders_api.domain.email_settings import StoredEmailSettings, stored_email_settings


def caller_email_settings(app: BaseRouter) -> StoredEmailSettings:
    """What an email needs of the calling client's settings, as the authorizer handed them on."""
    return stored_email_settings(caller_id(app), authorizer_context(app).get("settings"))
