"""The webhook delivery function, fed by the delivery queue: one signed POST per message."""

from orders_api.api.deliveries import handle, metrics
from orders_api.api.startup import ready

lambda_handler = ready(metrics.log_metrics(handle))
