"""The built-in templates' source files, read as text: showing one (GET /v1/templates) needs no Jinja2."""

from __future__ import annotations

from orders_api.domain.locales import template_folder
from orders_api.domain.template_sets import PARTS, Part, TemplateSet

SUFFIX: dict[Part, str] = {"subject": "subject", "text": "txt", "html": "html"}


def built_in(kind: str, tag: str) -> TemplateSet:
    """The source of a built-in template, as GET /v1/templates shows it."""
    folder = template_folder().joinpath(tag)
    return TemplateSet(
        *(folder.joinpath(f"{kind}.{SUFFIX[part]}").read_text(encoding="utf-8") for part in PARTS)
    )
