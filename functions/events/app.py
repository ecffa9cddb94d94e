"""The events function, fed by the table's stream: publishes each committed change's events."""

from orders_api.api.startup import ready
from orders_api.api.stream import handle, metrics

lambda_handler = ready(metrics.log_metrics(handle))
