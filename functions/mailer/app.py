"""The mailer, fired by the EventBridge schedule: sends due invitations, reminders and status emails."""

from orders_api.api.schedule import handle, metrics

lambda_handler = metrics.log_metrics(handle)
