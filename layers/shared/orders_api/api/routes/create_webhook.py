"""POST /v1/webhooks."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import LOCATION, SECURITY, responses, success
from orders_api.api.resolver import caller_id
from orders_api.api.wire import model_response
from orders_api.app.webhooks import WebhookAdmin
from orders_api.domain.webhooks import WebhookCreatedEnvelope, WebhookIn

router = APIGatewayRouter()
webhooks = WebhookAdmin()


@router.post(
    endpoints.CREATE_WEBHOOK.rule,
    summary="Register a webhook",
    description='Events of the listed types (or every type, ["*"]) are POSTed to the URL, signed per the '
    "Standard Webhooks specification with the secret in this answer, which is shown only here. The URL must be "
    "https on a public host: a host that is or resolves to a loopback, private, shared, link-local, multicast, "
    "unspecified or metadata address is a 422. At most 10 webhooks per client (409). No Idempotency-Key: "
    "the secret is never stored in clear, so an answer cannot be replayed.",
    responses=responses(
        {201: success(WebhookCreatedEnvelope, LOCATION, description="Created")}, 400, 409, 413, 415, 422
    ),
    security=SECURITY,
    tags=["webhooks"],
)
def create_webhook(request: WebhookIn) -> Response[str]:
    created = webhooks.create(caller_id(router), request)
    return model_response(
        201, WebhookCreatedEnvelope(data=created), {"Location": f"/v1/webhooks/{created.id}"}
    )
