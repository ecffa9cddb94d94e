"""The path parameters of the template routes: a template's kind and language."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from orders_api.domain.scalars import LocaleTag
from orders_api.domain.template_sets import TemplateKind

TemplateKindPath = Annotated[
    TemplateKind, Path(description="invitation, reminder or status", examples=["invitation"])
]
LocalePath = Annotated[
    LocaleTag, Path(description="BCP 47 language tag such as nl, de-AT or en-GB", examples=["nl"])
]
