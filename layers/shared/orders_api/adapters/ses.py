"""Sending through SES v2, as raw MIME so that the headers the message carries reach the mailbox.

Every send uses the stack's configuration set, whose event destination publishes
bounces and complaints to EventBridge; the client id travels as a message tag (and
a header, which SES also reports), so the feedback function finds the client
without searching.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from orders_api import settings
from orders_api.adapters import aws
from orders_api.domain.email_tags import CLIENT_HEADER, CLIENT_TAG
from orders_api.domain.emails import Message


def send(message: Message) -> str:
    """Sends and answers SES's message id; the message's client header also becomes its tag."""
    request: dict[str, Any] = {
        "FromEmailAddress": message.sender.addr_spec,
        "Destination": {"ToAddresses": [message.recipient]},
        "Content": {"Raw": {"Data": message.mime()}},
    }
    client_id = message.headers.get(CLIENT_HEADER)
    if client_id:
        request["EmailTags"] = [{"Name": CLIENT_TAG, "Value": client_id}]
    configuration_set = settings.current().configuration_set
    if configuration_set is not None:
        request["ConfigurationSetName"] = configuration_set
    response = aws.sesv2().send_email(**request)
    return str(response["MessageId"])


@cache
def account_send_rate() -> float:
    """The account's MaxSendRate in emails a second (GetAccount), asked once per container.

    A failed call is not cached (functools.cache keeps only answers), so the next run asks again.
    """
    rate = float(aws.sesv2().get_account()["SendQuota"]["MaxSendRate"])
    if not rate > 0:
        raise ValueError(f"SES answered a send rate of {rate}")
    return rate
