"""GET /v1/webhooks, GET /v1/webhooks/{webhook_id} and GET /v1/webhooks/{webhook_id}/deliveries."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import read_webhooks

app = build_resolver()
app.include_router(read_webhooks.router)
lambda_handler = entrypoint(app)
