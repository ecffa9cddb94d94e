"""POST /v1/orders and POST /v1/orders/batch."""

from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import create_order

app = build_resolver()
app.include_router(create_order.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
