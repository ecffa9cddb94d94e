"""The emails the mailer sends: a template's variables (domain.template_variables) rendered in the
sandbox into raw MIME.

Raw MIME, so that List-Unsubscribe and List-Unsubscribe-Post are real headers, which
mail providers turn into their own one-click unsubscribe button.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.policy import default
from email.quoprimime import body_encode
from typing import Any

from orders_api.domain.email_settings import EmailSettings
from orders_api.domain.errors import Conflict
from orders_api.domain.locales import DEFAULT_LOCALE, languages, resolve
from orders_api.domain.locales import language as language_of
from orders_api.domain.rendering import TemplateFault, render_part
from orders_api.domain.template_sets import PARTS, TemplateSet
from orders_api.domain.template_variables import StatusNote, variables

_BREAKS = re.compile(r"[^\S\u00a0\u202f]+")
_PLAIN = re.compile("[ -~]*")
# Bodies are 7-bit safe (quoted-printable when not plain short ASCII) for any mail server on the way.
BODY_LINE = 78
# Headers are written on one line (RFC 5322 allows 998 characters): folded, a long
# List-Unsubscribe URL would become encoded words that no mail client reads as a link.
HEADER_LINE = 998
HEADER_POLICY = default.clone(cte_type="7bit", max_line_length=HEADER_LINE)


@dataclass(frozen=True)
class Message:
    """One email as it goes out, before it is written as MIME."""

    sender: Address
    recipient: str
    subject: str
    text: str
    html: str
    headers: Mapping[str, str] = field(default_factory=dict)
    locale: str = DEFAULT_LOCALE
    fallback: TemplateFault | None = field(default=None, compare=False)

    def shown(self) -> dict[str, Any]:
        """The preview's `data`, in the field order of email_models.EmailPreview, which documents it."""
        return {
            "from": str(self.sender),
            "to": [self.recipient],
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "headers": dict(self.headers),
            "locale": self.locale,
        }

    def mime(self) -> bytes:
        """multipart/alternative, text then HTML, written out here: EmailMessage parses each header as
        it is set and again to write it, which was most of a send's own CPU. Headers that are plain
        ASCII go out as they are; any other is folded by the email package, as before."""
        text, html = _text_part("plain", self.text), _text_part("html", self.html)
        boundary = _boundary(text + html)
        head = [
            _header("From", self.sender),
            _header("To", self.recipient),
            _header("Subject", self.subject),
            "MIME-Version: 1.0\n",
            f'Content-Type: multipart/alternative; boundary="{boundary}"\n',
            *(_header(name, value) for name, value in self.headers.items()),
        ]
        parts = f"--{boundary}\n{text}\n--{boundary}\n{html}\n--{boundary}--\n"
        return ("".join(head) + "\n" + parts).encode("ascii")


def _header(name: str, value: str | Address) -> str:
    """One header line, 7-bit; a line break in a value is refused, as EmailMessage refuses it."""
    shown = str(value)
    if "\r" in shown or "\n" in shown:
        raise ValueError(f"the {name} header may not hold a line break")
    if _PLAIN.fullmatch(shown) and len(name) + 2 + len(shown) <= HEADER_LINE:
        return f"{name}: {shown}\n"
    return str(HEADER_POLICY.fold(name, HEADER_POLICY.header_factory(name, value)))


def _text_part(subtype: str, text: str) -> str:
    """A UTF-8 text part: 7bit when every line is ASCII and short enough, else quoted-printable."""
    lines = text.encode().splitlines()
    body = b"\n".join(lines) + b"\n"
    if body.isascii() and max((len(line) for line in lines), default=0) <= BODY_LINE:
        encoding, encoded = "7bit", body.decode("ascii")
    else:
        encoding, encoded = (
            "quoted-printable",
            body_encode(body.decode("latin-1"), BODY_LINE),
        )
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\nContent-Transfer-Encoding: {encoding}\n\n{encoded}'
    )


def _boundary(content: str) -> str:
    """A boundary the content does not hold, shaped like the email package's."""
    while True:
        boundary = f"==============={secrets.randbelow(sys.maxsize):019d}=="
        if boundary not in content:
            return boundary


def _one_line(text: str) -> str:
    """Ids and names may hold line breaks, which must never reach a mail header.

    No-break spaces stay: French puts one before '?' and ':'.
    """
    return _BREAKS.sub(" ", text).strip()


def sender(settings: EmailSettings, default_address: str | None) -> Address:
    """The client's own sender when it has one, else the stack's verified default."""
    address = settings.sender_email or default_address
    if not address:
        raise Conflict("No sender address: the client has no sender_email and the stack no default sender.")
    name = settings.sender_name or settings.name or ""
    return Address(display_name=_one_line(name), addr_spec=address)


def _recipient(order: Mapping[str, Any]) -> str:
    email: str | None = order["customer"]["email"]
    if not email:
        raise ValueError("the customer has no email address")
    return email


def compose(
    order: Mapping[str, Any],
    settings: EmailSettings,
    kind: str,
    own: Mapping[str, TemplateSet],
    *,
    unsubscribe_url: str | None,
    default_sender: str | None,
    status: StatusNote | None = None,
) -> Message:
    """The email of one kind for an order as the API shows it, in its language: the shop's template for
    that locale, else the built-in one. `own` maps locale to the shop's templates of this kind.

    A shop's template that fails here (the write-time check makes that unexpected) falls back to
    the built-in one, so the email is never lost; the caller sees it as `Message.fallback`.
    """
    built_in = languages()
    tag = resolve(order["locale"], settings.default_locale, {*built_in, *own})
    language = built_in.get(tag) or built_in.get(language_of(tag)) or built_in[DEFAULT_LOCALE]
    context = variables(order, settings, language, unsubscribe_url=unsubscribe_url, status=status)
    template = own.get(tag)
    fallback = None
    parts: dict[str, str] = {}
    if template is not None:
        try:
            parts = {
                part: render_part(part, template.part(part), context, kind=kind, tag=tag) for part in PARTS
            }
        except TemplateFault as fault:
            fallback = fault
            tag = language.tag
            context["locale"] = tag
    if not parts:
        parts = {part: render_part(part, None, context, kind=kind, tag=language.tag) for part in PARTS}
    headers = {"Content-Language": tag}
    if unsubscribe_url is not None:
        headers |= {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return Message(
        sender=sender(settings, default_sender),
        recipient=_recipient(order),
        subject=_one_line(parts["subject"]),
        text=parts["text"],
        html=parts["html"],
        headers=headers,
        locale=tag,
        fallback=fallback,
    )
