"""GET /v1/orders/{order_id}/emails/preview."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import preview_email

app = build_resolver(enable_validation=False)
app.include_router(preview_email.router)
lambda_handler = entrypoint(app)
