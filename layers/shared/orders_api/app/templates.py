"""The shops' own email templates: read, listed, reset (orders_api.app.template_writes stores them).

Reading needs no Jinja2: a built-in template is shown as its source text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from orders_api.app.stores import UsesStores
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.email_models import TemplateKind, TemplateOut, TemplateSet
from orders_api.domain.locales import languages, resolve
from orders_api.domain.template_sources import built_in
from orders_api.store.templates import StoredTemplate


@dataclass(frozen=True)
class TemplateView:
    """A template as the API shows it, the shop's own or the built-in one."""

    kind: TemplateKind
    locale: str
    template: TemplateSet
    built_in: bool
    updated_at: str | None

    def out(self) -> TemplateOut:
        return TemplateOut(
            kind=self.kind,
            locale=self.locale,
            subject=self.template.subject,
            text=self.template.text,
            html=self.template.html,
            built_in=self.built_in,
            updated_at=self.updated_at,
        )


def view_of(stored: StoredTemplate) -> TemplateView:
    kind = cast(TemplateKind, stored.kind)  # only the three kinds are ever stored
    return TemplateView(kind, stored.locale, stored.template, False, stored.updated_at)


class Templates(UsesStores):
    def get(self, settings: ClientSettings, kind: TemplateKind, locale: str) -> TemplateView:
        """The template an order in this locale would get: the shop's own, else the built-in one."""
        own = {
            stored.locale: stored for stored in self.templates.all(settings.client_id) if stored.kind == kind
        }
        tag = resolve(locale, settings.default_locale, {*languages(), *own})
        if tag in own:
            return view_of(own[tag])
        return TemplateView(kind, tag, built_in(kind, tag), True, None)

    def own(self, client_id: str) -> list[TemplateView]:
        return [view_of(stored) for stored in self.templates.all(client_id)]

    def delete(self, client_id: str, kind: TemplateKind, locale: str) -> None:
        self.templates.delete(client_id, kind, locale)
