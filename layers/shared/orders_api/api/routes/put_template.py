"""PUT /v1/templates/{kind}/{locale}.

The function runs without Powertools' validation and pydantic: it reads its path and body itself
(orders_api.api.parameters), with the same 400 and 422s; the operation as the OpenAPI document
declares it is in orders_api.api.routes.documented.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.email_settings import caller_email_settings
from orders_api.api.parameters import BodyFields, Parameters
from orders_api.api.resolver import json_response
from orders_api.app.template_writes import TemplateWrites
from orders_api.domain.template_sets import MAX_SOURCE, PARTS, TEMPLATE_KINDS, TemplateSet

router = APIGatewayRouter()
templates = TemplateWrites()


@router.put(endpoints.PUT_TEMPLATE.rule)
def put_template(kind: str, locale: str) -> Response[str]:
    path = Parameters({"kind": kind, "locale": locale})
    chosen = path.choice("kind", TEMPLATE_KINDS)
    tag = path.locale("locale")
    body = BodyFields(router.current_event.body, path.errors)
    subject, text, html = (body.text(part, min_length=1, max_length=MAX_SOURCE[part]) for part in PARTS)
    body.refuse_unknown()
    body.check()
    if chosen is None or tag is None or subject is None or text is None or html is None:
        raise AssertionError("every reader that returned None refused its value")
    view = templates.put(caller_email_settings(router), chosen, tag, TemplateSet(subject, text, html))
    return json_response(200, {"data": view.shown()})
