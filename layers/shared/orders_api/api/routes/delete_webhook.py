"""DELETE /v1/webhooks/{webhook_id}."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, WebhookId, responses, success
from orders_api.api.resolver import caller_id, path_value
from orders_api.api.wire import model_response
from orders_api.app.webhooks import WebhookAdmin
from orders_api.domain.webhooks import WebhookEnvelope

router = APIGatewayRouter()
webhooks = WebhookAdmin()


@router.delete(
    endpoints.DELETE_WEBHOOK.rule,
    summary="Delete a webhook",
    description="Stops deliveries at once, pending retries included; answers the deleted webhook. "
    "Deleting it again is a 404.",
    responses=responses({200: success(WebhookEnvelope)}, 404),
    security=SECURITY,
    tags=["webhooks"],
)
def delete_webhook(webhook_id: WebhookId) -> Response[str]:
    webhook = webhooks.delete(caller_id(router), path_value(webhook_id))
    return model_response(200, WebhookEnvelope(data=webhook))
