"""Storing a shop's own template: rendered in the Jinja2 sandbox against a sample order first.

Apart from orders_api.app.templates, so the functions that only read templates load no Jinja2, and
on EmailSettings and the shown sample order, so this one loads neither pydantic nor the models.
"""

from __future__ import annotations

from orders_api.app.clock import utcnow
from orders_api.app.stores import UsesStores
from orders_api.domain.email_settings import EmailSettings
from orders_api.domain.errors import Invalid
from orders_api.domain.field_errors import FieldError
from orders_api.domain.rendering import check
from orders_api.domain.template_sets import TemplateKind, TemplateSet, TemplateView
from orders_api.domain.template_variables import sample_variables


class TemplateWrites(UsesStores):
    def put(
        self, settings: EmailSettings, kind: TemplateKind, locale: str, template: TemplateSet
    ) -> TemplateView:
        """Renders every part against the sample order first: what fails there is a 422 naming part and line."""
        faults = check(template, sample_variables(settings, kind), kind=kind)
        if faults:
            raise Invalid(
                "The template does not render.",
                errors=[
                    FieldError(
                        field=fault.part,
                        message=(f"line {fault.line}: " if fault.line else "") + fault.message,
                    )
                    for fault in faults
                ],
            )
        return self.templates.put(settings.client_id, kind, locale, template, utcnow()).view()
