"""Suppressed addresses and the log of invitations sent, per client and lower-cased address.

Both are keyed by a hash of the address, so the mailer checks them with one read (with
the order's, see Repository.get_order_and_suppression) and one Query (never a Scan), a
customer whose address changes meets other keys, and no item holds an address in clear
once its customer is erased.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from orders_api.domain.instants import format_instant
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, number_value, string_value
from orders_api.store.table import TableStore

# Entries of the sent log outlive the longest cap window (365 days), then DynamoDB's TTL drops them.
SENT_LOG_KEPT = timedelta(days=366)


def expiry(moment: datetime) -> dict[str, Any]:
    """A TTL attribute value: whole epoch seconds."""
    return number_value(int(moment.timestamp()))


def suppression_key(client_id: str, address: str) -> AttributeMap:
    """The key of an address's suppression, by the address's digest (keys.address_digest)."""
    return {
        "pk": string_value(keys.suppression_pk(client_id, address)),
        "sk": string_value(keys.SUPPRESSION_SK),
    }


def suppression_reason(item: AttributeMap | None) -> str | None:
    """Why the address gets no more mail (bounced, complained), from its suppression item; None when it may."""
    return item["reason"]["S"] if item else None


def is_suppression(item: AttributeMap) -> bool:
    return bool(item["sk"] == string_value(keys.SUPPRESSION_SK))


class Deliverability(TableStore):
    def suppression(self, client_id: str, email: str) -> str | None:
        """Why the address gets no more mail (bounced, complained); None when it may."""
        return suppression_reason(self.item_at(self._suppression_key(client_id, email), consistent=True))

    def suppress(self, client_id: str, email: str, reason: str, now: datetime) -> None:
        """Records the latest reason; SES may report a complaint after a bounce, or both again."""
        self.client.put_item(
            TableName=self.table,
            Item={
                **self._suppression_key(client_id, email),
                "reason": string_value(reason),
                "at": string_value(format_instant(now)),
            },
        )

    def lift(self, client_id: str, email: str) -> None:
        self.client.delete_item(TableName=self.table, Key=self._suppression_key(client_id, email))

    def log_invitation(self, client_id: str, email: str, order_id: str, sent_at: datetime) -> None:
        """One entry per order, so recording the same invitation again does not count it twice."""
        self.client.put_item(
            TableName=self.table,
            Item={
                "pk": string_value(keys.sent_log_pk(client_id, email)),
                "sk": string_value(keys.created_sort_key(format_instant(sent_at), order_id)),
                "expires_at": expiry(sent_at + SENT_LOG_KEPT),
            },
        )

    def invitations_since(self, client_id: str, email: str, since: datetime) -> int:
        """How many invitations went to the address after `since`: a count, no items read back."""
        pages = self.query_pages(
            KeyConditionExpression="pk = :pk AND sk > :since",
            ExpressionAttributeValues={
                ":pk": string_value(keys.sent_log_pk(client_id, email)),
                ":since": string_value(format_instant(since)),
            },
            Select="COUNT",
        )
        return sum(int(page.get("Count", 0)) for page in pages)

    @staticmethod
    def _suppression_key(client_id: str, email: str) -> AttributeMap:
        return suppression_key(client_id, keys.address_digest(email))
