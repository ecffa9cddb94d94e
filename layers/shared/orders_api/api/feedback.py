"""The feedback function's entry: SES's bounce and complaint events, as EventBridge delivers them.

The client is read from the message's tag (or, failing that, its header), never
looked up. A transient or undetermined bounce changes nothing: only a permanent
one, or a complaint, suppresses the address.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from orders_api.app.feedback import Feedback
from orders_api.domain.client_ids import is_valid_client_id
from orders_api.domain.email_tags import CLIENT_HEADER, CLIENT_TAG
from orders_api.domain.models import Suppression
from orders_api.log import logger

_feedback = Feedback()


def client_of(mail: dict[str, Any]) -> str | None:
    tagged = (mail.get("tags") or {}).get(CLIENT_TAG) or []
    headers = [
        h.get("value")
        for h in mail.get("headers") or []
        if h.get("name", "").lower() == CLIENT_HEADER.lower()
    ]
    for candidate in [*tagged, *headers]:
        if isinstance(candidate, str) and is_valid_client_id(candidate):
            return candidate
    return None


def addresses(detail: dict[str, Any]) -> tuple[Suppression | None, list[str]]:
    """What the event means for the addresses it names: (bounced/complained, addresses), or (None, [])."""
    kind = detail.get("eventType")
    if kind == "Bounce" and detail.get("bounce", {}).get("bounceType") == "Permanent":
        recipients = detail["bounce"].get("bouncedRecipients") or []
        return "bounced", [r["emailAddress"] for r in recipients if r.get("emailAddress")]
    if kind == "Complaint":
        recipients = detail.get("complaint", {}).get("complainedRecipients") or []
        return "complained", [r["emailAddress"] for r in recipients if r.get("emailAddress")]
    return None, []


def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    detail = event.get("detail") or {}
    reason, emails = addresses(detail)
    client_id = client_of(detail.get("mail") or {})
    if reason is None or not emails:
        logger.info("feedback ignored", extra={"event_type": detail.get("eventType")})
        return {"suppressed": 0}
    if client_id is None:
        logger.warning("feedback without a client", extra={"event_type": detail.get("eventType")})
        return {"suppressed": 0}
    for email in emails:
        _feedback.suppress(client_id, email, reason)
    return {"suppressed": len(emails), "reason": reason}
