"""The emails the mailer sends, rendered from Jinja2 templates into raw MIME.

Raw MIME, so that List-Unsubscribe and List-Unsubscribe-Post are real headers, which
mail providers turn into their own one-click unsubscribe button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.invitations import items_to_review
from orders_api.domain.mail_state import StatusEmail
from orders_api.domain.models import Item, Order

# Bodies are 7-bit safe (quoted-printable or base64) for any mail server on the way.
BODY_POLICY = default.clone(cte_type="7bit")
# Headers are written on one line (RFC 5322 allows 998 characters): folded, a long
# List-Unsubscribe URL would become encoded words that no mail client reads as a link.
HEADER_POLICY = BODY_POLICY.clone(max_line_length=998)

templates = Environment(
    loader=PackageLoader("orders_api", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Message:
    sender: Address
    recipient: str
    subject: str
    text: str
    html: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def mime(self) -> bytes:
        message = EmailMessage(policy=BODY_POLICY)
        message["From"] = self.sender
        message["To"] = self.recipient
        message["Subject"] = self.subject
        for name, value in self.headers.items():
            message[name] = value
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return message.as_bytes(policy=HEADER_POLICY)


@dataclass(frozen=True)
class ItemView:
    name: str
    url: str | None
    image_url: str | None
    review_url: str | None


def _one_line(text: str) -> str:
    """Ids and names may hold line breaks, which must never reach a mail header."""
    return " ".join(text.split())


def sender(settings: ClientSettings, default_address: str | None) -> Address:
    """The client's own sender when it has one, else the stack's verified default."""
    address = settings.sender_email or default_address
    if not address:
        raise ValueError("no sender address: the client has no sender_email and the stack no default")
    name = settings.sender_name or settings.name or ""
    return Address(display_name=_one_line(name), addr_spec=address)


def shop_name(settings: ClientSettings) -> str | None:
    return settings.sender_name or settings.name


def review_link(settings: ClientSettings, order_id: str, item: Item) -> str | None:
    """The client's template with URL-encoded placeholders; without one, the item's own page.

    Placeholders are replaced literally (never str.format), so a template cannot reach
    into Python objects; encoded values cannot form a placeholder themselves.
    """
    template = settings.review_link_template
    if not template:
        return item.url
    values = {"client_id": settings.client_id, "order_id": order_id, "item_id": item.id}
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(value, safe=""))
    return template


def _render(name: str, context: Mapping[str, Any]) -> str:
    return templates.get_template(name).render(context)


def _recipient(order: Order) -> str:
    if not order.customer.email:
        raise ValueError("the customer has no email address")
    return order.customer.email


def invitation(
    order: Order,
    settings: ClientSettings,
    *,
    reminder: bool,
    unsubscribe_url: str,
    default_sender: str | None,
) -> Message:
    """The review invitation (or its reminder), listing every reviewable item not reviewed yet."""
    shop = shop_name(settings)
    subject = _one_line(
        f"{'Reminder: h' if reminder else 'H'}ow do you like your order"
        + (f" from {shop}?" if shop else f" {order.id}?")
    )
    link = unsubscribe_url
    context = {
        "subject": subject,
        "shop": shop,
        "customer_name": order.customer.name,
        "order_id": order.id,
        "reminder": reminder,
        "unsubscribe_url": link,
        "items": [
            ItemView(
                name=item.name or item.id,
                url=item.url,
                image_url=item.image_url,
                review_url=review_link(settings, order.id, item),
            )
            for item in items_to_review(order)
        ],
    }
    return Message(
        sender=sender(settings, default_sender),
        recipient=_recipient(order),
        subject=subject,
        text=_render("invitation.txt", context),
        html=_render("invitation.html", context),
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def status_update(
    order: Order, settings: ClientSettings, email: StatusEmail, *, default_sender: str | None
) -> Message:
    """A transactional status email: no unsubscribe link, opting out does not stop it."""
    shop = shop_name(settings)
    subject = _one_line(f"Your order {order.id} is now {email.status}")
    context = {
        "subject": subject,
        "shop": shop,
        "customer_name": order.customer.name,
        "order_id": order.id,
        "status": email.status,
        "note": email.note,
    }
    return Message(
        sender=sender(settings, default_sender),
        recipient=_recipient(order),
        subject=subject,
        text=_render("status.txt", context),
        html=_render("status.html", context),
    )
