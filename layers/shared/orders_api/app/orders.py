"""Order use cases: read, apply the pure rules, write conditionally, retry on a race.

Every write is conditioned on the version that was read, so concurrent writers
never lose each other's changes: the loser reads again and re-applies its change.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from orders_api.app.clock import utcnow
from orders_api.app.stores import UsesStores
from orders_api.domain import invitations, mail_state, merge, transitions
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import Conflict, DomainError, Invalid, NotFound, StaleVersion
from orders_api.domain.field_errors import field_errors
from orders_api.domain.models import Customer, Order, OrderIn, StatusUpdateRequest, WriteMode
from orders_api.store.orders import OrderRecord, Repository, VersionConflict

RETRY_BUDGET_SECONDS = 10.0
_ORDER_IN = TypeAdapter(OrderIn)


@dataclass
class Outcome:
    """One order written: the order as stored, whether it is new, whether anything changed."""

    order: Order
    created: bool = False
    changed: bool = True


@dataclass
class BatchOutcome:
    """One order of a batch: what was written, or why it was not."""

    index: int
    id: str | None
    outcome: Outcome | None = None
    error: DomainError | None = None


class Orders(UsesStores):
    def __init__(self, repository: Repository | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(repository)
        self.clock = clock

    def upsert(
        self,
        settings: ClientSettings,
        incoming: OrderIn,
        mode: WriteMode,
        expected_version: int | None = None,
    ) -> Outcome:
        def attempt() -> Outcome:
            record, customer = self.repository.get_order_and_customer(
                settings.client_id, incoming.id, incoming.customer.id
            )
            _check_expected(record, expected_version)
            now = self.clock()
            existing = record.order if record else None
            order = _validated(
                lambda: merge.apply(mode, existing, incoming, now, invitations.defaults(settings))
            )
            if existing is not None and order is existing:
                return Outcome(order=existing, changed=False)
            known = customer.customer if customer else None
            opt_out = known.opt_out if known else False
            snapshot = order.customer.model_copy(
                update={
                    "opt_out": opt_out,
                    "created_at": known.created_at if known and known.created_at else now,
                    "updated_at": known.updated_at
                    if known and not _customer_changes(order.customer, known)
                    else now,
                }
            )
            order = order.model_copy(update={"customer": snapshot})
            invitations.check_reminder_gap(order, settings)
            saved = OrderRecord(order, record.mail if record else {})
            self._save(settings, saved, record, now, opt_out_seen=opt_out)
            return Outcome(order=saved.order, created=record is None)

        return self._retrying(attempt, expected_version)

    def upsert_many(self, settings: ClientSettings, mode: WriteMode, orders: list[Any]) -> list[BatchOutcome]:
        """Each order on its own: one failing never blocks the others."""
        results: list[BatchOutcome] = []
        for index, raw in enumerate(orders):
            order_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            try:
                incoming = _ORDER_IN.validate_python(raw)
                outcome = self.upsert(settings, incoming, mode)
            except ValidationError as error:
                invalid = Invalid("The order is invalid.", errors=field_errors(error.errors(), "order"))
                results.append(BatchOutcome(index=index, id=order_id, error=invalid))
            except DomainError as error:
                results.append(BatchOutcome(index=index, id=order_id, error=error))
            else:
                results.append(BatchOutcome(index=index, id=outcome.order.id, outcome=outcome))
        return results

    def delete(self, settings: ClientSettings, order_id: str, expected_version: int | None = None) -> Order:
        def deleted(order: Order, now: datetime) -> Order:
            if order.deleted:
                return order
            return order.model_copy(update={"deleted": True, "deleted_at": now})

        return self.change(settings, order_id, deleted, expected_version)

    def change_status(
        self,
        settings: ClientSettings,
        order_id: str,
        request: StatusUpdateRequest,
        expected_version: int | None = None,
    ) -> Order:
        def moved(order: Order, now: datetime) -> Order:
            return transitions.move(order, request, now, invitations.local_today(order, settings, now))

        def queue_email(mail: mail_state.MailState, order: Order, now: datetime) -> mail_state.MailState:
            if not request.notify_customer:
                return mail
            email = mail_state.StatusEmail(
                id=uuid.uuid4().hex, status=order.status, note=request.note, queued_at=now
            )
            return mail.model_copy(update={"status_emails": [*mail.status_emails, email]})

        return self.change(settings, order_id, moved, expected_version, queue_email)

    def change(
        self,
        settings: ClientSettings,
        order_id: str,
        mutate: Callable[[Order, datetime], Order],
        expected_version: int | None = None,
        mail_change: Callable[[mail_state.MailState, Order, datetime], mail_state.MailState] | None = None,
    ) -> Order:
        """Read, apply `mutate`, write conditioned on the version read; no write when nothing changed."""

        def attempt() -> Outcome:
            record = self.repository.get_order(settings.client_id, order_id)
            if record is None:
                raise NotFound(f"Order {order_id!r} does not exist.")
            _check_expected(record, expected_version)
            now = self.clock()
            order = mutate(record.order, now)
            if order is record.order:
                return Outcome(order=record.order, changed=False)
            order = order.model_copy(update={"updated_at": now, "version": record.order.version + 1})
            mail = record.mail
            if mail_change is not None:
                mail = mail_change(mail_state.MailState.load(mail), order, now).dump()
            saved = OrderRecord(order, mail)
            self._save(settings, saved, record, now, opt_out_seen=None)
            return Outcome(order=saved.order)

        return self._retrying(attempt, expected_version).order

    def _save(
        self,
        settings: ClientSettings,
        record: OrderRecord,
        previous: OrderRecord | None,
        now: datetime,
        *,
        opt_out_seen: bool | None,
    ) -> None:
        order = record.order
        scheduled = invitations.schedule(order, settings, now)
        record.order = order.model_copy(update={"invitation": scheduled})
        due = mail_state.due_at(record.order, mail_state.MailState.load(record.mail))
        self.repository.save_order(
            settings.client_id,
            record,
            expected_version=previous.order.version if previous else None,
            due_at=due,
            customer_opt_out_seen=opt_out_seen,
            retention_days=settings.retention_days,
        )

    @staticmethod
    def _retrying(attempt: Callable[[], Outcome], expected_version: int | None) -> Outcome:
        deadline = time.monotonic() + RETRY_BUDGET_SECONDS
        pause = 0.005
        while True:
            try:
                return attempt()
            except VersionConflict:
                if expected_version is not None:
                    raise StaleVersion("The order changed since the version named by If-Match.") from None
                if time.monotonic() > deadline:
                    raise Conflict("The order is being changed by other requests; try again.") from None
                time.sleep(random.uniform(0, pause))  # noqa: S311 - jitter, not security
                pause = min(pause * 2, 0.2)


def _customer_changes(customer: Customer, known: Customer) -> bool:
    """Whether the order changes what the table knows of its customer."""
    if known.updated_at is None:
        return True
    return any(
        getattr(customer, name) is not None and getattr(customer, name) != getattr(known, name)
        for name in ("email", "name", "phone")
    )


def _check_expected(record: OrderRecord | None, expected_version: int | None) -> None:
    if expected_version is None:
        return
    if record is None:
        raise StaleVersion("If-Match names a version, but the order does not exist.")
    if record.order.version != expected_version:
        raise StaleVersion(
            f"The order is at version {record.order.version}, not {expected_version}.",
            current_version=record.order.version,
        )


def _validated(build: Callable[[], Order]) -> Order:
    """Rules that span fields (e.g. returned <= quantity after a merge) surface as 422s."""
    try:
        return build()
    except ValidationError as error:
        raise Invalid(
            "The order would be invalid after this change.", errors=field_errors(error.errors(), "order")
        ) from error
