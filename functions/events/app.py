"""The events function, fed by the table's stream: publishes each committed change's events."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.stream import handle, metrics
from orders_api.startup import ready

lambda_handler = ready(metrics.log_metrics(handle))
