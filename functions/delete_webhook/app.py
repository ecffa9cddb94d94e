"""DELETE /v1/webhooks/{webhook_id}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import delete_webhook

app = build_resolver()
app.include_router(delete_webhook.router)
lambda_handler = entrypoint(app)
