"""Unknown methods on known resources (405) and unknown paths (404)."""

from orders_api.api.fallback import handle as lambda_handler

__all__ = ["lambda_handler"]
