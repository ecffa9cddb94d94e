"""Routes, one module per Lambda function; the docs function includes them all."""

from orders_api.service import Orders

orders = Orders()
