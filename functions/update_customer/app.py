"""PATCH /v1/customers/{customer_id}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import update_customer

app = build_resolver()
app.include_router(update_customer.router)
lambda_handler = entrypoint(app)
