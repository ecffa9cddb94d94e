"""GET /v1/webhooks, GET /v1/webhooks/{webhook_id} and GET /v1/webhooks/{webhook_id}/deliveries."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from orders_api.api import endpoints
from orders_api.api.openapi import SECURITY, WebhookId, responses, success
from orders_api.api.resolver import caller_id, path_value
from orders_api.api.wire import model_response
from orders_api.app.webhooks import WebhookAdmin
from orders_api.domain.webhooks import DeliveryList, WebhookEnvelope, WebhookList

router = APIGatewayRouter()
webhooks = WebhookAdmin()


@router.get(
    endpoints.LIST_WEBHOOKS.rule,
    summary="List webhooks",
    description="Every webhook of the client, oldest first, without secrets.",
    responses=responses({200: success(WebhookList)}),
    security=SECURITY,
    tags=["webhooks"],
)
def list_webhooks() -> Response[str]:
    return model_response(200, WebhookList(data=webhooks.of_client(caller_id(router))))


@router.get(
    endpoints.GET_WEBHOOK.rule,
    summary="Get one webhook",
    description="The webhook without its secret; another client's webhook is a 404.",
    responses=responses({200: success(WebhookEnvelope)}, 404),
    security=SECURITY,
    tags=["webhooks"],
)
def get_webhook(webhook_id: WebhookId) -> Response[str]:
    webhook = webhooks.get(caller_id(router), path_value(webhook_id))
    return model_response(200, WebhookEnvelope(data=webhook))


@router.get(
    endpoints.LIST_WEBHOOK_DELIVERIES.rule,
    summary="List a webhook's delivery attempts",
    description="The last 100 attempts, newest first, each with its HTTP status or the error; kept 30 days.",
    responses=responses({200: success(DeliveryList)}, 404),
    security=SECURITY,
    tags=["webhooks"],
)
def list_deliveries(webhook_id: WebhookId) -> Response[str]:
    found = webhooks.deliveries(caller_id(router), path_value(webhook_id))
    return model_response(200, DeliveryList(data=found))
