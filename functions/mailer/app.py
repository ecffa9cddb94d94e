"""The mailer, fired by the EventBridge schedule: sends due invitations, reminders and status emails."""

from orders_api.api.schedule import handle, metrics
from orders_api.api.startup import ready

lambda_handler = ready(metrics.log_metrics(handle))
