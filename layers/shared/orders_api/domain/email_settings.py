"""What an email needs of its client's settings, readable without pydantic.

The mailer hands over the client's ClientSettings; the preview and a template's check, whose
functions load no pydantic, read these few fields from the settings as stored, which were checked
when written (orders_api.domain.client_settings).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import NamedTuple, Protocol

from orders_api.domain.instants import DEFAULT_TIME_ZONE


class EmailSettings(Protocol):
    @property
    def client_id(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def sender_email(self) -> str | None: ...
    @property
    def sender_name(self) -> str | None: ...
    @property
    def review_link_template(self) -> str | None: ...
    @property
    def shop_review_link_template(self) -> str | None: ...
    @property
    def default_locale(self) -> str | None: ...
    @property
    def time_zone(self) -> str: ...


class StoredEmailSettings(NamedTuple):
    """EmailSettings read from the settings as stored, with ClientSettings' defaults."""

    client_id: str
    name: str | None = None
    sender_email: str | None = None
    sender_name: str | None = None
    review_link_template: str | None = None
    shop_review_link_template: str | None = None
    default_locale: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE


@lru_cache(maxsize=64)
def stored_email_settings(client_id: str, settings_json: str | None) -> StoredEmailSettings:
    """From the settings' JSON as the authorizer hands it on (the same for every request of a client,
    so read once); without any, the defaults."""
    stored = json.loads(settings_json) if settings_json else {}
    chosen = {name: stored[name] for name in StoredEmailSettings._fields if stored.get(name) is not None}
    return StoredEmailSettings(**{**chosen, "client_id": client_id})


def shop_name(settings: EmailSettings) -> str | None:
    """How emails and the unsubscribe page name the shop."""
    return settings.sender_name or settings.name
