"""Locales: BCP 47 tags checked and written one way (nl-NL), and the chain that picks an email's language.

Well-formedness is checked against RFC 5646's grammar for the parts shops send (language,
script, region, variants); private-use and extension subtags are refused, since no
template could ever match them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

DEFAULT_LOCALE = "en"
TAG_MIN_LENGTH = 2
TAG_MAX_LENGTH = 35

_TAG = re.compile(
    r"^(?P<language>[A-Za-z]{2,3}|[A-Za-z]{5,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*)$"
)


def normalise(tag: str) -> str:
    """The tag in its canonical case (language lower, Script title, REGION upper), '_' read as '-'.

    Raises ValueError for a tag that is not well-formed.
    """
    match = _TAG.match(tag.strip().replace("_", "-"))
    if match is None:
        raise ValueError(f"{tag!r} is not a BCP 47 language tag such as 'nl-NL', 'de' or 'en-GB'")
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    parts.extend(variant.lower() for variant in match["variants"].split("-") if variant)
    return "-".join(parts)


def language(tag: str) -> str:
    return tag.split("-", 1)[0]


def candidates(order_locale: str | None, client_default: str | None) -> Iterator[str]:
    """The tags to try, most specific first: the order's tag, its language, the client's, then en."""
    seen: set[str] = set()
    for tag in (order_locale, client_default):
        if tag:
            for candidate in (tag, language(tag)):
                if candidate not in seen:
                    seen.add(candidate)
                    yield candidate
    if DEFAULT_LOCALE not in seen:
        yield DEFAULT_LOCALE


def resolve(order_locale: str | None, client_default: str | None, available: Collection[str]) -> str:
    """The first candidate that has templates (SPEC 10: exact tag, language, client default, en)."""
    return next((tag for tag in candidates(order_locale, client_default) if tag in available), DEFAULT_LOCALE)


def template_folder() -> Any:
    """templates/: one folder of built-in templates per language."""
    return resources.files("orders_api").joinpath("templates")


class Language(NamedTuple):
    """A built-in language: its folder of templates, how it writes dates and statuses, and how the
    unsubscribe page names the shop (" from {shop}")."""

    tag: str
    months: tuple[str, ...]
    date: str
    statuses: Mapping[str, str]
    from_shop: str

    def format_date(self, day: int, month: int, year: int) -> str:
        return self.date.format(day=day, month=self.months[month - 1], year=year)


@cache
def languages() -> dict[str, Language]:
    """Every folder of templates/ is a language: read once per container."""
    found: dict[str, Language] = {}
    for folder in template_folder().iterdir():
        spec = folder.joinpath("language.json")
        if spec.is_file():
            raw = json.loads(spec.read_text(encoding="utf-8"))
            found[folder.name] = Language(
                folder.name, tuple(raw["months"]), raw["date"], raw["statuses"], raw["from_shop"]
            )
    return found
