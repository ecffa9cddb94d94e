"""GET /v1/orders."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import list_orders

app = build_resolver(enable_validation=False)
app.include_router(list_orders.router)
lambda_handler = entrypoint(app)
