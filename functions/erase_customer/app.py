"""POST /v1/customers/{customer_id}/erase and POST /v1/erasures."""

from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import erase_customer

app = build_resolver()
app.include_router(erase_customer.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
