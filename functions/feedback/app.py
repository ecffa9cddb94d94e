"""SES bounces and complaints, from EventBridge: suppresses the address for its client."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.feedback import handle
from orders_api.startup import ready

lambda_handler = ready(handle)
