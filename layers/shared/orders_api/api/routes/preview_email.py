"""GET /v1/orders/{order_id}/emails/preview."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, OrderId, responses, success
from orders_api.api.resolver import path_value
from orders_api.api.wire import caller_settings, model_response
from orders_api.app.previews import Previews
from orders_api.domain.email_models import EmailPreview, EmailPreviewEnvelope, PreviewKind

router = APIGatewayRouter()
previews = Previews()


@router.get(
    endpoints.PREVIEW_EMAIL.rule,
    summary="Preview an order's email",
    description="The email that would go out now for this order, composed by the mailer's own code with "
    "today's templates and settings; nothing is sent or recorded. A status preview shows the latest "
    "queued status email, else the order's current status. An order without an email address is a 409.",
    responses=responses({200: success(EmailPreviewEnvelope)}, 404, 409, 422),
    security=SECURITY,
    tags=["orders"],
)
def preview_email(
    order_id: OrderId,
    kind: Annotated[PreviewKind, Query(description="invitation, reminder or status")] = "invitation",
) -> Response[str]:
    message = previews.preview(caller_settings(router), path_value(order_id), kind)
    preview = EmailPreview(
        from_=str(message.sender),
        to=[message.recipient],
        subject=message.subject,
        text=message.text,
        html=message.html,
        headers=dict(message.headers),
        locale=message.locale,
    )
    return model_response(200, EmailPreviewEnvelope(data=preview))
