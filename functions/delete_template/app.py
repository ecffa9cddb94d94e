"""DELETE /v1/templates/{kind}/{locale}."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import delete_template

app = build_resolver()
app.include_router(delete_template.router)
lambda_handler = entrypoint(app)
