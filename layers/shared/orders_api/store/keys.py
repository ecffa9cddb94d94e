"""DynamoDB key design.

Client ids are restricted to a '#'-free alphabet, so every key below is a fixed
prefix, the client id, a fixed marker and then the caller's id verbatim: two
different (client, id) pairs can never produce the same key, whatever the id holds.
Index sort keys start with a fixed-width UTC timestamp, so they sort by time and
then by id.
"""

from __future__ import annotations

import hashlib
import re

from orders_api.domain.client_ids import is_valid_client_id

ORDER_SK = "ORDER"
CUSTOMER_SK = "CUSTOMER"
CLIENT_SK = "CLIENT"
API_KEY_SK = "APIKEY"
SUPPRESSION_SK = "SUPPRESSION"
DUE_SHARDS = 8
DUE_SHARD_NAMES = tuple(f"DUE#{n}" for n in range(DUE_SHARDS))
_DIGEST = re.compile("[0-9a-f]{64}")


def order_pk(client_id: str, order_id: str) -> str:
    return f"C#{client_id}#O#{order_id}"


def split_order_pk(pk: str) -> tuple[str, str]:
    """(client id, order id) of an order key; client ids hold no '#', so the first marker splits it."""
    client_id, marker, order_id = pk.removeprefix("C#").partition("#O#")
    if not pk.startswith("C#") or not marker or not is_valid_client_id(client_id):
        raise ValueError("not an order key")
    return client_id, order_id


def customer_pk(client_id: str, customer_id: str) -> str:
    """The customer item's partition, and the partition of the customer's orders in by_customer."""
    return f"C#{client_id}#CU#{customer_id}"


def address_digest(email: str) -> str:
    """The lower-cased address hashed: keys that match case-insensitively and hold no address in clear,
    so they can outlive an erasure of the customer.
    """
    return hashlib.sha256(email.lower().encode()).hexdigest()


def suppression_pk(client_id: str, address: str) -> str:
    """Per client and per address (its address_digest): one read tells whether the mailer may send."""
    return f"C#{client_id}#SUP#{address}"


def sent_log_pk(client_id: str, email: str) -> str:
    """The invitations sent to one address, sorted by time: the frequency cap counts them with one Query."""
    return f"C#{client_id}#SENT#{address_digest(email)}"


def client_pk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def api_key_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


def orders_by_created_pk(client_id: str) -> str:
    return f"C#{client_id}"


def orders_by_email_pk(client_id: str, email: str) -> str:
    return f"C#{client_id}#E#{email.lower()}"


def created_sort_key(created_at: str, order_id: str) -> str:
    return f"{created_at}#{order_id}"


def due_shard(client_id: str, order_id: str) -> str:
    """Spreads due emails over a few partitions so one busy minute cannot hot-spot one."""
    digest = hashlib.sha256(order_pk(client_id, order_id).encode()).digest()
    return DUE_SHARD_NAMES[digest[0] % DUE_SHARDS]


def due_sort_key(due_at: str, client_id: str, order_id: str, email: str | None) -> str:
    """Sorts by time; the address's digest after it lets the mailer read the order and the address's
    suppression together, before it knows the address (see due_address)."""
    address = f"{address_digest(email)}#" if email else ""
    return f"{due_at}#{address}{order_pk(client_id, order_id)}"


def due_address(due_sort_key: str) -> str | None:
    """The address digest a due sort key holds; None without one (no address, or a key written before)."""
    # A fixed-width instant holds no '#'; an order key starts "C#", so it never passes for a digest.
    held = due_sort_key.split("#", 2)[1]
    return held if _DIGEST.fullmatch(held) else None


def after_instant(instant: str) -> str:
    """Sorts after every "<instant>#<id>" key of that instant ('$' follows '#') and before any later one."""
    return f"{instant}$"


def templates_pk(client_id: str) -> str:
    """One partition per client holds its email templates, so listing them is one Query."""
    return f"C#{client_id}#T"


def template_sk(kind: str, locale: str) -> str:
    """Kinds and locales hold no '#' (both are validated), so kind and locale cannot run together."""
    return f"TEMPLATE#{kind}#{locale}"


def webhooks_pk(client_id: str) -> str:
    """One partition per client holds its webhooks and their count; it starts 'WH#', never 'C#'."""
    return f"WH#{client_id}"


def webhook_sk(webhook_id: str) -> str:
    return f"WEBHOOK#{webhook_id}"


WEBHOOK_COUNT_SK = "COUNT"


def deliveries_pk(client_id: str, webhook_id: str) -> str:
    return f"WHD#{client_id}#{webhook_id}"


def delivery_sk(at: str, event_id: str, attempt: int) -> str:
    """Sorts by time, so the newest attempts are one Query read backwards."""
    return f"{at}#{event_id}#{attempt:02d}"
