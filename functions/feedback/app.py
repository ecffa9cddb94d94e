"""SES bounces and complaints, from EventBridge: suppresses the address for its client."""

from orders_api.api.feedback import handle

lambda_handler = handle
