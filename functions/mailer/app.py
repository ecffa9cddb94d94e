"""The mailer, fired by the EventBridge schedule: sends due invitations, reminders and status emails."""

# First: boto3 loads near the top of the import chain (see orders_api.adapters.aws).
from orders_api.adapters import aws  # noqa: F401
from orders_api.api.schedule import handle, metrics
from orders_api.startup import ready

lambda_handler = ready(metrics.log_metrics(handle))
