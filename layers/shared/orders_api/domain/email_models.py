"""The wire models of the email routes: a shop's own templates and the preview of an email."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints

from orders_api.domain.base_models import Strict, Wire
from orders_api.domain.scalars import Text
from orders_api.domain.template_sets import MAX_SOURCE, TemplateKind

PreviewKind = TemplateKind

VARIABLES = """Jinja2 templates rendered in a sandbox (no Python internals, files or network; HTML autoescaped in \
`html`; unknown variables are errors). Every language sees the same variables:

- `locale`: the language the email is written in (`nl`, `de-AT`, ...)
- `shop.name`: the client's sender name (or name); may be null
- `shop.review_url`: from the client's shop_review_link_template, or null
- `customer.name`: may be null
- `order.id`; `order.placed_at`: the date the order was placed, written the language's way \
(`2 april 2026`), or null; `order.locale`: the order's own tag, or null
- `items`: the reviewable items, each with `name`, `url`, `image_url` and `review_url` (url, image_url and \
review_url may be null)
- `unsubscribe_url`: invitation and reminder only (null in status emails)
- status emails only: `status` (placed, paid, ...), `status_label` (the status in the email's language) and \
`note` (may be null)

Filters: abs capitalize count default dictsort escape first float int items join last length list lower map \
max min reject rejectattr reverse round select selectattr sort string striptags sum title trim truncate \
unique upper urlencode wordcount. A template is rendered against a sample order of 250 items before it is \
stored: a syntax error, an unknown variable, a forbidden construct or a render slower than half a second is a \
422 naming the field and the line."""


_EXAMPLE: dict[str, Any] = {
    "subject": "Wat vind je van je bestelling bij {{ shop.name }}?",
    "text": "Hoi {{ customer.name or 'daar' }},\n\n{% for item in items %}- {{ item.name }}: {{ item.review_url }}\n"
    "{% endfor %}\nAfmelden: {{ unsubscribe_url }}\n",
    "html": '<p>Hoi {{ customer.name or "daar" }},</p>{% for item in items %}<p><a href="{{ item.review_url }}">'
    '{{ item.name }}</a></p>{% endfor %}<p><a href="{{ unsubscribe_url }}">Afmelden</a></p>',
}


class TemplateIn(Strict):
    __doc__ = VARIABLES
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    subject: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_SOURCE["subject"])]
    text: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_SOURCE["text"])]
    html: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_SOURCE["html"])]


_TEMPLATE_OUT: dict[str, Any] = {
    "kind": "invitation",
    "locale": "nl",
    **_EXAMPLE,
    "built_in": False,
    "updated_at": "2026-04-01T09:00:00.000000Z",
}
_PREVIEW: dict[str, Any] = {
    "from": "Acme Shoes <reviews@acme.example>",
    "to": ["jane@example.com"],
    "subject": "Wat vind je van je bestelling bij Acme Shoes?",
    "text": "Hoi Jane,\n\n- Trail shoe: https://reviews.example.com/acme/1001?item=SKU-1\n\nAfmelden: "
    "https://api.example/v1/unsubscribe?token=...\n",
    "html": '<p>Hoi Jane,</p><p><a href="https://reviews.example.com/acme/1001?item=SKU-1">Trail shoe</a></p>',
    "headers": {
        "Content-Language": "nl",
        "List-Unsubscribe": "<https://api.example/v1/unsubscribe?token=...>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    "locale": "nl",
}


class TemplateOut(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [_TEMPLATE_OUT]})

    kind: TemplateKind
    locale: str
    subject: str
    text: str
    html: str
    built_in: bool = Field(
        description="true: no template of the shop's own applies; this is the built-in one"
    )
    updated_at: str | None = Field(description="When the shop last wrote it; null for a built-in template")


class TemplateEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": _TEMPLATE_OUT}]})

    data: TemplateOut


class TemplateList(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": [_TEMPLATE_OUT]}]})

    data: list[TemplateOut]


class EmailPreview(Wire):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [_PREVIEW]})

    from_: str = Field(alias="from", description="The From header: sender name and address")
    to: list[str]
    subject: str
    text: str
    html: str
    headers: dict[str, str] = Field(description="Content-Language and, for invitations, List-Unsubscribe")
    locale: str = Field(description="The locale the email is written in")


class EmailPreviewEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": _PREVIEW}]})

    data: EmailPreview
