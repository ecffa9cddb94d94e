"""GET and one-click POST /v1/unsubscribe (no API key)."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import unsubscribe

app = build_resolver()
app.include_router(unsubscribe.router)
lambda_handler = unsubscribe.one_click(entrypoint(app))
