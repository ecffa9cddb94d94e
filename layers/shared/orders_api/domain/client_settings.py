"""A client's settings: who sends its emails and when, and its invitation defaults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from orders_api.domain.base_models import Offset, Wire
from orders_api.domain.instants import DEFAULT_TIME_ZONE
from orders_api.domain.scalars import STORED, Email, LocaleTag, Text, TimeZoneName

# Constants that are valid as written: checking them at import would build Offset's validator in
# every function, including those that never read a client's settings.
DEFAULT_DELAY = Offset.model_construct(unit="days", amount=7)
DEFAULT_REMINDER = Offset.model_construct(unit="days", amount=14)


class InvitationCap(Wire):
    """At most `count` invitations to one address in any `days` days."""

    model_config = ConfigDict(extra="forbid")

    count: Annotated[int, Field(ge=1, le=100)]
    days: Annotated[int, Field(ge=1, le=365)]


class ClientSettings(Wire):
    model_config = ConfigDict(extra="forbid")

    client_id: str
    name: str | None = None
    sender_email: Email | None = None
    sender_name: Annotated[Text, Field(max_length=250)] | None = None
    review_link_template: str | None = Field(
        default=None,
        description="URL with {order_id}, {item_id} and {client_id} placeholders, e.g. "
        "https://reviews.example.com/{client_id}/{order_id}",
    )
    shop_review_link_template: str | None = Field(
        default=None,
        description="URL of a review of the shop itself, with {client_id} and {order_id} placeholders; when "
        "set, the built-in invitation asks for a shop review as well",
    )
    default_locale: LocaleTag | None = Field(
        default=None, description="The language of emails about orders without a locale we have templates for"
    )
    invitation_delay: Offset = DEFAULT_DELAY
    invitation_reminder: Offset | None = DEFAULT_REMINDER
    send_time: time = time(10, 0)
    time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    invitation_cap: InvitationCap | None = Field(
        default=None, description="at most count invitations to one address in days days; None: no cap"
    )
    retention_days: Annotated[int, Field(ge=1, le=3650)] | None = Field(
        default=None, description="orders are deleted this many days after their last change; None: kept"
    )
    usage_key: str | None = Field(
        default=None,
        min_length=20,
        description="Value of the client's own API Gateway API key, whose usage plan sets the client's "
        "rate limits and quota; None: the stack's default usage plan. The authorizer returns it to API "
        "Gateway and keeps it out of the settings handlers see.",
    )

    @classmethod
    def stored(cls, client_id: str, raw: Mapping[str, Any] | None) -> ClientSettings:
        """The settings as stored for a client; one stored without any gets the defaults.

        Read as every stored document is (types.STORED): they were checked when saved.
        """
        return cls.model_validate({**(raw or {}), "client_id": client_id}, context=STORED)
