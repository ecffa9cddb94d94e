"""GET /v1/customers/{customer_id}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import get_customer

app = build_resolver(enable_validation=False)
app.include_router(get_customer.router)
lambda_handler = entrypoint(app)
