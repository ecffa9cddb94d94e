"""The page the unsubscribe link answers, in the customer's language.

Its words are fixed per language and only the shop's name is filled in, so it is a
string.Template with the values HTML-escaped: the unsubscribe function loads no Jinja2
(about 15 ms of its cold start).
"""

from __future__ import annotations

from functools import cache
from html import escape
from string import Template

from orders_api.domain.locales import languages, template_folder

PAGE = "unsubscribed.html"


@cache
def _page(tag: str) -> Template:
    return Template(template_folder().joinpath(tag, PAGE).read_text(encoding="utf-8"))


def render(tag: str, shop: str | None) -> str:
    """The page of a built-in language (tag as resolved); the shop is named when it has a name."""
    from_shop = languages()[tag].from_shop.format(shop=escape(shop)) if shop else ""
    return _page(tag).substitute(locale=escape(tag), from_shop=from_shop)
