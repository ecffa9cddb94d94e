"""The signed unsubscribe link in every invitation.

The token names the client and the customer and is signed for this purpose only, so
it can neither be forged nor reused as another kind of token, and it never expires:
an unsubscribe link must keep working for as long as the email is kept. Apart from
app.customers, so the mailer and the preview write links without loading the customer routes' models.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from orders_api import settings
from orders_api.adapters import signing
from orders_api.domain.client_ids import is_valid_client_id

PURPOSE = "unsubscribe"


def token(client_id: str, customer_id: str, locale: str | None = None) -> str:
    """The order's locale rides along (signed like the rest), so the page answers in the email's language."""
    payload = {"c": client_id, "u": customer_id}
    return signing.sign(PURPOSE, payload | {"l": locale} if locale else payload)


def link(client_id: str, customer_id: str, locale: str | None = None) -> str:
    """Absolute: PUBLIC_BASE_URL when deployed, the local runtime's address otherwise."""
    base = settings.current().public_base_url
    return f"{base}/v1/unsubscribe?token={quote(token(client_id, customer_id, locale), safe='')}"


@dataclass(frozen=True)
class Unsubscribed:
    """Whom a genuine token names, and the language of the email it came in (None: unknown)."""

    client_id: str
    customer_id: str
    locale: str | None = None


def customer_of(value: str | None) -> Unsubscribed | None:
    """Whom a genuine token names; None for a missing, forged or odd one."""
    payload = signing.verify(PURPOSE, value) if value else None
    if payload is None:
        return None
    client_id, customer_id, locale = payload.get("c"), payload.get("u"), payload.get("l")
    if not isinstance(client_id, str) or not isinstance(customer_id, str) or not customer_id:
        return None
    if not is_valid_client_id(client_id):
        return None
    return Unsubscribed(client_id, customer_id, locale if isinstance(locale, str) else None)
