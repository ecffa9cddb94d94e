"""A customer's opt-out: the signed link in every invitation, and copying it onto their orders.

The token names the client and the customer and is signed for this purpose only, so
it can neither be forged nor reused as another kind of token, and it never expires:
an unsubscribe link must keep working for as long as the email is kept.
"""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import quote

from orders_api.adapters import signing
from orders_api.domain.models import Customer
from orders_api.store.keys import is_valid_client_id
from orders_api.store.orders import Repository

PURPOSE = "unsubscribe"
LOCAL_BASE_URL = "http://127.0.0.1:3000"


def token(client_id: str, customer_id: str) -> str:
    return signing.sign(PURPOSE, {"c": client_id, "u": customer_id})


def link(client_id: str, customer_id: str) -> str:
    """Absolute: PUBLIC_BASE_URL when deployed, the local runtime's address otherwise."""
    base = (os.environ.get("PUBLIC_BASE_URL") or LOCAL_BASE_URL).rstrip("/")
    return f"{base}/v1/unsubscribe?token={quote(token(client_id, customer_id), safe='')}"


def customer_of(value: str | None) -> tuple[str, str] | None:
    """(client id, customer id) named by a genuine token; None for a missing, forged or odd one."""
    payload = signing.verify(PURPOSE, value) if value else None
    if payload is None:
        return None
    client_id, customer_id = payload.get("c"), payload.get("u")
    if not isinstance(client_id, str) or not isinstance(customer_id, str) or not customer_id:
        return None
    return (client_id, customer_id) if is_valid_client_id(client_id) else None


def set_opt_out(
    repository: Repository, client_id: str, customer_id: str, opt_out: bool, now: datetime
) -> Customer:
    """Records the choice on the customer (created if unknown), then on each of their orders.

    The mailer checks the order's copy right before it sends, so an opt-out stops
    every invitation and reminder that has not gone out yet.
    """
    customer = repository.set_customer_opt_out(client_id, customer_id, opt_out, now)
    for key in repository.order_keys_of_customer(client_id, customer_id):
        repository.copy_opt_out_to_order(key, opt_out)
    return customer
