"""DELETE /v1/orders/{order_id}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import delete_order

app = build_resolver()
app.include_router(delete_order.router)
lambda_handler = entrypoint(app)
