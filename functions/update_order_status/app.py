"""PUT /v1/orders/{order_id}/status."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import update_order_status

app = build_resolver()
app.include_router(update_order_status.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
