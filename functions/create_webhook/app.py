"""POST /v1/webhooks."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import create_webhook

app = build_resolver()
app.include_router(create_webhook.router)
lambda_handler = entrypoint(app)
