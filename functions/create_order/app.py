"""POST /v1/orders and POST /v1/orders/batch."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import create_order

app = build_resolver()
app.include_router(create_order.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
