"""GET /v1/orders/{order_id}."""

from orders_api.http import build_resolver, entrypoint
from orders_api.routes import get_order

app = build_resolver()
app.include_router(get_order.router)
lambda_handler = entrypoint(app)
