"""The webhook delivery function, fed by the delivery queue: one signed POST per message."""

from orders_api.api.deliveries import handle, metrics

lambda_handler = metrics.log_metrics(handle)
