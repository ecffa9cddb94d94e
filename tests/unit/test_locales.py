"""Locale tags and the chain that picks an email's language (SPEC 10)."""

from __future__ import annotations

import pytest
from orders_api.domain.locales import languages, normalise, resolve
from orders_api.domain.models import OrderIn
from pydantic import ValidationError

BUILT_IN = {"en", "nl", "de", "fr", "es"}


def test_every_built_in_language_is_a_folder() -> None:
    assert set(languages()) == BUILT_IN


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("nl-NL", "nl-NL"),
        ("NL-be", "nl-BE"),
        ("nl_BE", "nl-BE"),
        ("de", "de"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("sl-rozaj-biske", "sl-rozaj-biske"),
    ],
)
def test_tags_are_written_one_way(given: str, written: str) -> None:
    assert normalise(given) == written


@pytest.mark.parametrize(
    "bad", ["", "n", "english!", "nl-", "nl--NL", "x-private", "nl-NL-u-ca-gregory", "12"]
)
def test_malformed_tags_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="BCP 47"):
        normalise(bad)


def test_an_order_locale_is_validated_and_normalised() -> None:
    order = OrderIn.model_validate({"id": "O1", "customer": {"id": "C1"}, "locale": "fr_ca"})
    assert order.locale == "fr-CA"
    with pytest.raises(ValidationError, match="locale"):
        OrderIn.model_validate({"id": "O1", "customer": {"id": "C1"}, "locale": "français"})


@pytest.mark.parametrize(
    ("order", "client", "available", "chosen"),
    [
        ("nl-BE", None, BUILT_IN, "nl"),  # the language of the tag
        ("nl-BE", None, BUILT_IN | {"nl-BE"}, "nl-BE"),  # the exact tag first
        ("pt-BR", "de", BUILT_IN, "de"),  # no Portuguese: the client's default
        ("pt-BR", "de-AT", BUILT_IN, "de"),  # ... or its language
        ("pt-BR", None, BUILT_IN, "en"),  # then English
        (None, "fr", BUILT_IN, "fr"),
        (None, None, BUILT_IN, "en"),
        ("sv", "pt", BUILT_IN, "en"),
        ("de-CH", "fr", {"en", "de-CH"}, "de-CH"),
    ],
)
def test_the_locale_chain(order: str | None, client: str | None, available: set[str], chosen: str) -> None:
    assert resolve(order, client, available) == chosen
