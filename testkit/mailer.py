"""The mailer run as its schedule runs it, and orders put in bulk for it to find."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from orders_api import settings
from orders_api.domain.models import Customer, Invitation, Item, Order
from orders_api.store.orders import OrderRecord, Repository

from testkit.functions import Context, environment_variable, handler_module

TODAY = datetime.now(UTC).date()
SEND_AT = datetime.combine(TODAY + timedelta(days=1), clock(10), UTC)
REMIND_AT = datetime.combine(TODAY + timedelta(days=3), clock(10), UTC)
# BatchWriteItem's most items per call.
BATCH_WRITE = 25


def run(at: datetime, remaining_ms: int = 300_000, context: Context | None = None) -> dict[str, Any]:
    """The run the schedule fires at `at`, with `remaining_ms` left throughout or the time `context` tells."""
    result: dict[str, Any] = handler_module("MailerFunction").lambda_handler(
        {"time": at.strftime("%Y-%m-%dT%H:%M:%SZ")}, context or Context(remaining_ms)
    )
    return result


@contextmanager
def workers(count: int) -> Iterator[None]:
    """Mailer runs with `count` workers (MAILER_WORKERS) inside the block; one gives calls in sequence."""
    with environment_variable("MAILER_WORKERS", str(count)):
        settings.reload()
        try:
            yield
        finally:
            settings.reload()


def bulk_orders(repository: Repository, due: int, future: int, idle: int, *, in_process: bool = True) -> None:
    """Items exactly as the repository shapes them, put straight into moto's table for speed, or with
    BatchWriteItem through the repository's client when moto answers from another process."""
    items = list(_bulk_items(repository, due, future, idle))
    if in_process:
        table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]
        for item in items:
            table.put_item(repository.table, item)
        return
    for start in range(0, len(items), BATCH_WRITE):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE]]
        pending: Any = {repository.table: batch}
        while pending:
            pending = repository.client.batch_write_item(RequestItems=pending).get("UnprocessedItems")


def _bulk_items(repository: Repository, due: int, future: int, idle: int) -> Iterator[dict[str, Any]]:
    now = datetime.now(UTC)
    first = SEND_AT - timedelta(hours=1)
    template = Order(
        id="template",
        customer=Customer(id="C", email="c@example.com"),
        items=[Item(id="SKU-1", name="Trail shoe", delivery_date=TODAY, created_at=now, updated_at=now)],
        invitation=Invitation(state="scheduled", send_at=first, reminder_at=REMIND_AT),
        created_at=now,
        updated_at=now,
        version=1,
    )
    later = template.invitation.model_copy(update={"send_at": SEND_AT + timedelta(days=1)})
    for n in range(due + future + idle):
        kind = "due" if n < due else "future" if n < due + future else "idle"
        order = template.model_copy(
            update={
                "id": f"{kind}-{n}",
                "customer": Customer(id=f"C{n}", email=f"c{n}@example.com"),
                "invitation": template.invitation if kind == "due" else later,
            }
        )
        due_at = {"due": first + timedelta(seconds=n), "future": SEND_AT + timedelta(days=1), "idle": None}[
            kind
        ]
        yield repository._order_item("demo", OrderRecord(order), due_at)
