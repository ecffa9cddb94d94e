"""The shops' own email templates: read, listed, reset (orders_api.app.template_writes stores them).

Reading needs no Jinja2: a built-in template is shown as its source text.
"""

from __future__ import annotations

from orders_api.app.stores import UsesStores
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.locales import languages, resolve
from orders_api.domain.template_sets import TemplateKind, TemplateView
from orders_api.domain.template_sources import built_in


class Templates(UsesStores):
    def get(self, settings: ClientSettings, kind: TemplateKind, locale: str) -> TemplateView:
        """The template an order in this locale would get: the shop's own, else the built-in one."""
        own = {
            stored.locale: stored for stored in self.templates.all(settings.client_id) if stored.kind == kind
        }
        tag = resolve(locale, settings.default_locale, {*languages(), *own})
        if tag in own:
            return own[tag].view()
        return TemplateView(kind, tag, built_in(kind, tag), True, None)

    def own(self, client_id: str) -> list[TemplateView]:
        return [stored.view() for stored in self.templates.all(client_id)]

    def delete(self, client_id: str, kind: TemplateKind, locale: str) -> None:
        self.templates.delete(client_id, kind, locale)
