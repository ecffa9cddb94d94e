"""Unknown methods on known resources (405) and unknown paths (404)."""

from orders_api.api.fallback import handle
from orders_api.startup import ready

lambda_handler = ready(handle)
