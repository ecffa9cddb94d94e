"""POST /v1/webhooks."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import create_webhook

app = build_resolver()
app.include_router(create_webhook.router)
lambda_handler = entrypoint(app)
