"""A kind's three template parts and a template as the API shows it, without pydantic.

Apart from orders_api.domain.email_models (the routes' wire models, which document these shapes),
so the functions that render or store templates without the models load no pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

TemplateKind = Literal["invitation", "reminder", "status"]
TEMPLATE_KINDS: tuple[TemplateKind, ...] = ("invitation", "reminder", "status")
Part = Literal["subject", "text", "html"]
PARTS: tuple[Part, ...] = ("subject", "text", "html")
# The longest source a shop may write for each part, in characters.
MAX_SOURCE: dict[Part, int] = {"subject": 250, "text": 50_000, "html": 100_000}


@dataclass(frozen=True)
class TemplateSet:
    """One kind's three parts, as Jinja2 source."""

    subject: str
    text: str
    html: str

    def part(self, name: Part) -> str:
        return str(getattr(self, name))


@dataclass(frozen=True)
class TemplateView:
    """A template as the API shows it, the shop's own or the built-in one."""

    kind: TemplateKind
    locale: str
    template: TemplateSet
    built_in: bool
    updated_at: str | None

    def shown(self) -> dict[str, Any]:
        """The answer's `data`, in the field order of email_models.TemplateOut, which documents it."""
        return {
            "kind": self.kind,
            "locale": self.locale,
            "subject": self.template.subject,
            "text": self.template.text,
            "html": self.template.html,
            "built_in": self.built_in,
            "updated_at": self.updated_at,
        }
