"""The unsubscribe page: each built-in language's words, the shop's name escaped, nothing left unfilled."""

from __future__ import annotations

import re

import pytest
from orders_api.domain import unsubscribed_page
from orders_api.domain.locales import languages

WORDS = {
    "en": "for your orders from Jan &amp; Co.</p>",
    "nl": "voor je bestellingen bij Jan &amp; Co.</p>",
    "de": "zu Ihren Bestellungen bei Jan &amp; Co.</p>",
    "fr": "pour vos commandes chez Jan &amp; Co.</p>",
    "es": "sobre tus pedidos en Jan &amp; Co.</p>",
}


def test_every_built_in_language_has_its_words_checked() -> None:
    assert set(WORDS) == set(languages())


@pytest.mark.parametrize("tag", sorted(WORDS))
def test_the_page_names_the_shop_in_the_language(tag: str) -> None:
    page = unsubscribed_page.render(tag, "Jan & Co")
    assert WORDS[tag] in page
    assert f'<html lang="{tag}">' in page
    assert not re.search(r"\$\w|\{\w", page)


@pytest.mark.parametrize("tag", sorted(WORDS))
def test_without_a_shop_name_the_sentence_names_none(tag: str) -> None:
    page = unsubscribed_page.render(tag, None)
    named = WORDS[tag].removesuffix(" Jan &amp; Co.</p>")
    assert named.rsplit(" ", 1)[0] + ".</p>" in page


def test_markup_in_a_shop_name_is_shown_not_run() -> None:
    page = unsubscribed_page.render("en", '<script>alert("x")</script>')
    assert "<script>" not in page
    assert "from &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;." in page


def test_placeholders_in_a_shop_name_are_shown_as_they_are() -> None:
    page = unsubscribed_page.render("en", "$from_shop {shop} $$")
    assert "from $from_shop {shop} $$.</p>" in page
