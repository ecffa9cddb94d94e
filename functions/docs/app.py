"""GET /v1/openapi.json and GET /v1/docs: the API's own description, no key needed."""

from orders_api.api.docs import build_docs_resolver
from orders_api.api.resolver import entrypoint

lambda_handler = entrypoint(build_docs_resolver())
