"""Storing a shop's own template: rendered in the Jinja2 sandbox against a sample order first.

Apart from orders_api.app.templates, so the functions that only read templates load no Jinja2.
"""

from __future__ import annotations

from orders_api.app.clock import utcnow
from orders_api.app.templates import Templates, TemplateView, view_of
from orders_api.domain import emails
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.email_models import TemplateKind, TemplateSet
from orders_api.domain.errors import Invalid
from orders_api.domain.field_errors import FieldError
from orders_api.domain.rendering import check


class TemplateWrites(Templates):
    def put(
        self, settings: ClientSettings, kind: TemplateKind, locale: str, template: TemplateSet
    ) -> TemplateView:
        """Renders every part against the sample order first: what fails there is a 422 naming part and line."""
        faults = check(template, emails.sample_variables(settings, kind), kind=kind)
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
        return view_of(self.templates.put(settings.client_id, kind, locale, template, utcnow()))
