"""GET /v1/orders/{order_id}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import get_order

app = build_resolver(enable_validation=False)
app.include_router(get_order.router)
lambda_handler = entrypoint(app)
