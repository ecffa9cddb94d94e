"""PUT /v1/templates/{kind}/{locale} read without pydantic: its path and body, with the 400 and 422s
Powertools' validation gave for the operation as orders_api.api.routes.documented declares it
(tests/unit/test_body_fields.py holds them to it)."""

from __future__ import annotations

from typing import NamedTuple

from orders_api.api.parameters import BodyFields, Parameters
from orders_api.domain.locales import TAG_MAX_LENGTH, TAG_MIN_LENGTH, normalise
from orders_api.domain.template_sets import MAX_SOURCE, PARTS, TEMPLATE_KINDS, TemplateKind, TemplateSet


class TemplateWrite(NamedTuple):
    kind: TemplateKind
    locale: str
    template: TemplateSet


def _locale(path: Parameters, name: str) -> str | None:
    """A language tag as the models take it (orders_api.domain.scalars.LocaleTag), normalised."""
    known = len(path.errors)
    given = path.text(name, min_length=TAG_MIN_LENGTH, max_length=TAG_MAX_LENGTH)
    if given is None or len(path.errors) > known:
        return None
    try:
        return normalise(given)
    except ValueError as error:
        path.refuse(name, str(error))
        return None


def template_write(kind: str, locale: str, body: str | None) -> TemplateWrite:
    """The path's parameters first, then the body's fields, all problems in one 422."""
    path = Parameters({"kind": kind, "locale": locale})
    chosen, tag = path.choice("kind", TEMPLATE_KINDS), _locale(path, "locale")
    fields = BodyFields(body, path.errors)
    subject, text, html = (fields.text(part, min_length=1, max_length=MAX_SOURCE[part]) for part in PARTS)
    fields.check()
    if chosen is None or tag is None or subject is None or text is None or html is None:
        raise AssertionError("check() raises for every value a reader refused")
    return TemplateWrite(chosen, tag, TemplateSet(subject, text, html))
