"""SES bounces and complaints, from EventBridge: suppresses the address for its client."""

from orders_api.api.feedback import handle
from orders_api.api.startup import ready

lambda_handler = ready(handle)
