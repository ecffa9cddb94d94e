"""GET and one-click POST /v1/unsubscribe (no API key)."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import unsubscribe

app = build_resolver()
app.include_router(unsubscribe.router)
lambda_handler = unsubscribe.one_click(entrypoint(app))
