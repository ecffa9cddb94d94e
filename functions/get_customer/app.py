"""GET /v1/customers/{customer_id}."""

from orders_api.http import build_resolver, entrypoint
from orders_api.routes import get_customer

app = build_resolver()
app.include_router(get_customer.router)
lambda_handler = entrypoint(app)
