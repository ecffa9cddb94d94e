"""Sending through SES v2, as raw MIME so that the headers the message carries reach the mailbox."""

from __future__ import annotations

from orders_api.adapters import aws
from orders_api.domain.emails import Message


def send(message: Message) -> str:
    """Sends and answers SES's message id."""
    response = aws.sesv2().send_email(
        FromEmailAddress=message.sender.addr_spec,
        Destination={"ToAddresses": [message.recipient]},
        Content={"Raw": {"Data": message.mime()}},
    )
    return response["MessageId"]
