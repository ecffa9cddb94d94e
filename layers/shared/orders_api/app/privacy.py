"""Erasure (GDPR art. 17): a customer's email, name and phone leave the customer record and every order.

Order of work, so that a crash half-way leaves nothing a retry would not finish:
the customer record first, then each order (found by customer id, which stays; an
erased order is skipped). Orders by email are found through the email index, which
an erased order leaves, so a retry by email finds exactly the orders still to do.

The orders are erased in parallel, each with a write conditioned on its version,
so a customer with 10,000 orders is done within the API's 29 seconds (see README).
Should the time still run short, the request stops starting writes and answers
Unfinished rather than meet API Gateway's bare 504; the retry erases what is left.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from orders_api.app.clock import utcnow
from orders_api.app.orders import Orders
from orders_api.app.stores import UsesStores
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import NotFound, Unfinished
from orders_api.domain.models import Order
from orders_api.domain.privacy import erased_order, no_status_emails
from orders_api.log import logger
from orders_api.store.orders import Repository

# One connection each: the DynamoDB client's pool holds at least this many (adapters.aws).
PARALLEL_WRITES = 16
# No write starts with less of the Lambda's time left: the writes under way and the answer must fit
# in it, and so must a cold start's init, which counts against API Gateway's 29 s but not the Lambda's.
STOP_MARGIN_MS = 5_000

RemainingMs = Callable[[], int]


def unlimited() -> int:
    """The time left when nobody sets a limit (the admin command line, tests)."""
    return sys.maxsize


@dataclass
class _Progress:
    """One request's erasure: the orders it erased so far, and the time it has left."""

    remaining_ms: RemainingMs
    orders: int = 0

    def short_of_time(self) -> bool:
        return self.remaining_ms() < STOP_MARGIN_MS

    def unfinished(self, left: str) -> Unfinished:
        logger.warning("erasure stopped for time", extra={"orders": self.orders, "left": left})
        return Unfinished(
            f"The erasure stopped to answer in time: this request erased {self.orders} orders, {left} "
            "still to erase. Send the same request again: an erasure does only what is left."
        )


class Erasure(UsesStores):
    def __init__(self, repository: Repository | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(repository)
        self.clock = clock
        self.orders = Orders(repository, clock)

    def customer(
        self, settings: ClientSettings, customer_id: str, remaining_ms: RemainingMs = unlimited
    ) -> int:
        """Erases one customer; the number of orders erased now (0 when done before). 404 when unknown.

        Unfinished when the time ran short before every order was done.
        """
        progress = _Progress(remaining_ms)
        left = self._customer(settings, customer_id, progress)
        if left:
            raise progress.unfinished(f"{left} orders")
        return progress.orders

    def emails(
        self, settings: ClientSettings, emails: list[str], remaining_ms: RemainingMs = unlimited
    ) -> tuple[int, int]:
        """Erases every customer with one of the addresses: (customers, orders) erased now."""
        customer_ids: set[str] = set()
        for email in emails:
            customer_ids.update(c for _, c in self.repository.orders_with_email(settings.client_id, email))
        progress = _Progress(remaining_ms)
        ordered = sorted(customer_ids)
        for done, customer_id in enumerate(ordered):
            after = len(ordered) - done - 1
            if progress.short_of_time():
                raise progress.unfinished(f"{after + 1} customers")
            if left := self._customer(settings, customer_id, progress):
                raise progress.unfinished(f"{left} orders of one customer and {after} more customers")
        logger.info("erasure by email", extra={"addresses": len(emails), "customers": len(customer_ids)})
        return len(customer_ids), progress.orders

    def _customer(self, settings: ClientSettings, customer_id: str, progress: _Progress) -> int:
        """Erases the customer's record and orders, adding them to progress; the orders left for lack of time."""
        repository = self.repository
        found = repository.erase_customer(settings.client_id, customer_id, self.clock())
        order_ids = repository.order_ids_of_customer(settings.client_id, customer_id)
        if not found and not order_ids:
            raise NotFound(f"Customer {customer_id!r} does not exist.")
        erased, left = self._erase_orders(settings, order_ids, progress)
        progress.orders += erased
        logger.info("customer erased", extra={"customer_id": customer_id, "orders": erased, "left": left})
        return left

    def _erase_orders(
        self, settings: ClientSettings, order_ids: Iterable[str], progress: _Progress
    ) -> tuple[int, int]:
        """(orders erased now, orders not started for lack of time)."""

        def erase(order_id: str) -> bool | None:
            if progress.short_of_time():
                return None
            changed = False

            def mutate(order: Order, now: datetime) -> Order:
                nonlocal changed
                result = erased_order(order, now)
                changed = result is not order
                return result

            try:
                self.orders.change(settings, order_id, mutate, mail_change=no_status_emails)
            except NotFound:  # deleted by retention meanwhile
                return False
            return changed

        with ThreadPoolExecutor(max_workers=PARALLEL_WRITES) as pool:
            outcomes = list(pool.map(erase, order_ids))
        return outcomes.count(True), outcomes.count(None)
