"""GET /v1/templates."""

from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import list_templates

app = build_resolver()
app.include_router(list_templates.router)
lambda_handler = entrypoint(app)
