"""SES's mailbox simulator, locally: mail to bounce@ or complaint@simulator.amazonses.com gets SES's feedback.

SES answers such a send with a permanent bounce or a complaint, which the stack's
configuration set publishes to EventBridge's default bus. Here a thread watches what
moto's SES accepted and, within a second, delivers the same event shape (see
events/feedback.json, from SES's documentation) to the functions whose EventBridge
rules match it. moto keeps no message tags, so the client tag is taken from the
header the mailer also sets, which SES would report among the message's headers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from orders_api.domain.email_tags import CLIENT_HEADER, CLIENT_TAG

from orders_local.polling import Poller
from orders_local.runtime import ACCOUNT_ID, FunctionRuntime

BOUNCE = "bounce@simulator.amazonses.com"
COMPLAINT = "complaint@simulator.amazonses.com"
POLL_SECONDS = 0.5

logger = logging.getLogger("orders_local.ses_simulator")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def feedback_event(email: dict[str, Any], recipient: str, region: str) -> dict[str, Any] | None:
    """The EventBridge event SES publishes for a simulator address; None for any other address."""
    headers = email.get("headers") or {}
    message_id = f"{uuid.uuid4()}-000000"
    tags: dict[str, list[str]] = {"ses:operation": ["SendEmail"]}
    client = headers.get(CLIENT_HEADER)
    if client:
        tags[CLIENT_TAG] = [client]
    mail = {
        "timestamp": _now(),
        "source": email.get("from"),
        "sendingAccountId": ACCOUNT_ID,
        "messageId": message_id,
        "destination": [recipient],
        "headersTruncated": False,
        "headers": [{"name": name, "value": value} for name, value in headers.items()],
        "commonHeaders": {"from": [email.get("from")], "to": [recipient], "subject": email.get("subject")},
        "tags": tags,
    }
    address = recipient.lower()
    if address == BOUNCE:
        detail_type, detail = (
            "Email Bounced",
            {
                "eventType": "Bounce",
                "bounce": {
                    "bounceType": "Permanent",
                    "bounceSubType": "General",
                    "bouncedRecipients": [
                        {
                            "emailAddress": recipient,
                            "action": "failed",
                            "status": "5.1.1",
                            "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                        }
                    ],
                    "timestamp": _now(),
                    "feedbackId": f"{uuid.uuid4()}-000000",
                    "reportingMTA": "dsn; a1-1.smtp-out.amazonses.com",
                },
            },
        )
    elif address == COMPLAINT:
        detail_type, detail = (
            "Email Complaint Received",
            {
                "eventType": "Complaint",
                "complaint": {
                    "complainedRecipients": [{"emailAddress": recipient}],
                    "timestamp": _now(),
                    "feedbackId": f"{uuid.uuid4()}-000000",
                    "userAgent": "Amazon SES Mailbox Simulator",
                    "complaintFeedbackType": "abuse",
                    "arrivalDate": _now(),
                },
            },
        )
    else:
        return None
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.ses",
        "account": ACCOUNT_ID,
        "time": _now(),
        "region": region,
        "resources": [f"arn:aws:ses:{region}:{ACCOUNT_ID}:configuration-set/local-emails"],
        "detail": {**detail, "mail": mail},
    }


class SesSimulator(Poller):
    """Delivers SES's feedback for simulator addresses to the template's matching rule targets."""

    name = "ses"
    wait_first = True

    def __init__(self, runtime: FunctionRuntime, sent: Callable[[], list[dict[str, Any]]]) -> None:
        super().__init__(POLL_SECONDS)
        self.runtime = runtime
        self.sent = sent
        self.seen = 0

    def poll_once(self) -> int:
        """Delivers the feedback of every email sent since the last poll; how many events went out."""
        emails = self.sent()
        fresh, self.seen = emails[self.seen :], len(emails)
        delivered = 0
        for email in fresh:
            for recipient in email.get("to") or []:
                event = feedback_event(email, _address(recipient), self.runtime.region)
                if event is None:
                    continue
                for function in self.runtime.template.rule_targets(event["source"], event["detail-type"]):
                    self.runtime.invoke(function.name, event)
                    delivered += 1
        return delivered


def _address(recipient: str) -> str:
    """The bare address of a To entry such as 'Jane <jane@example.com>'."""
    return recipient.rpartition("<")[2].rstrip(">").strip() if "<" in recipient else recipient.strip()
