"""PUT /v1/templates/{kind}/{locale}."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api import idempotency
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import put_template

app = build_resolver(enable_validation=False)
app.include_router(put_template.router)
lambda_handler = entrypoint(app, idempotent=idempotency.run)
