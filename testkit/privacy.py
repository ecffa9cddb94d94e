"""A customer with many orders, for the erasure tests and the erasure benchmark."""

from __future__ import annotations

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from orders_api.domain import mail_state
from orders_api.store.orders import OrderRecord, Repository

from testkit.api import Api

CLIENT_ID = "demo"
EMAIL = "jane@example.com"


def customer_with_orders(api: Api, customer_id: str, count: int) -> list[str]:
    """The ids of `count` orders of the customer, each with the email, name and phone to erase.

    The first goes through the API, which writes the customer record with it; the others
    are copies of it put straight into moto's table, as the repository shapes them, for speed.
    """
    customer = {"id": customer_id, "email": EMAIL, "name": "Jane Doe", "phone": "+31 6 1234 5678"}
    first = f"{customer_id}-O0"
    body = {"order": {"id": first, "customer": customer, "items": [{"id": "SKU-1", "name": "Trail shoe"}]}}
    reply = api.call("POST", "/v1/orders", body=body)
    if reply.status != 201:
        raise RuntimeError(f"the first order was not created: {reply.status} {reply.text[:500]}")
    repository = Repository()
    record = repository.get_order(CLIENT_ID, first)
    if record is None:
        raise RuntimeError("the first order is not in the table")
    due = mail_state.due_at(record.order, mail_state.MailState.load(record.mail))
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]
    order_ids = [first, *(f"{customer_id}-O{n}" for n in range(1, count))]
    for order_id in order_ids[1:]:
        copy = OrderRecord(record.order.model_copy(update={"id": order_id}), record.mail)
        table.put_item(repository.table, repository._order_item(CLIENT_ID, copy, due))
    return order_ids
