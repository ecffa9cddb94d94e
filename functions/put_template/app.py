"""PUT /v1/templates/{kind}/{locale}."""

from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import put_template

app = build_resolver()
app.include_router(put_template.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
