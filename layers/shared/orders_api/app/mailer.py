"""The mailer's run: sends due invitations, reminders and status emails, each exactly once.

A run takes the schedule's time as "now" and reads what is due from the sparse due
index (one Query per shard, never a Scan). For each due order it:

1. re-reads the order, with its address's suppression in the same round trip, and decides, with the pure functions below, what may go out;
2. claims those emails with a write conditioned on the order's version; the same
   write records what may not go out (canceled / not_eligible and the reason);
3. sends each claimed email through SES v2;
4. records the outcome and drops the claim, again conditioned on the version.

Overlapping runs race at step 2: the loser re-reads, sees the live claim and moves
on. A claim whose lease has ended was left by a run that died between steps 2 and 4.
Its emails may have gone out, so they are recorded as sent (and counted as
unconfirmed) and never sent again: at most once, rather than possibly twice.

A run handles up to MAILER_WORKERS orders at once (a thread each; boto3's clients are
shared, they are thread safe) and reads the due index only as far as it has handed
out: workers race for claims exactly as runs do, and where a client caps invitations the
orders of one address take turns (see Run). Every send first waits its turn at
one throttle for the whole run, set just under SES's MaxSendRate (see send_rate), and a run
keeps no more orders in flight than that rate sends in a second, so what is in flight
when the run stops claiming is done well within STOP_MARGIN_MS. Only the run's own
thread writes its Summary: each worker answers what its order came to.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orders_api import settings as environment
from orders_api.adapters import ses
from orders_api.app.messages import message_for
from orders_api.app.send_rate import HEADROOM, Throttle, send_rate
from orders_api.app.stores import UsesStores
from orders_api.domain import mail_state
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.instants import format_instant
from orders_api.domain.invitations import pending_kind
from orders_api.domain.mail_rules import Outgoing, Tally, plan, settle
from orders_api.domain.mail_state import MailState
from orders_api.domain.models import Order
from orders_api.domain.template_sets import TemplateSet
from orders_api.log import logger
from orders_api.store.orders import Due, OrderRecord, VersionConflict

STOP_MARGIN_MS = 20_000
# A client's settings and own templates (kind -> locale -> template), read once per run.
Client = tuple[ClientSettings, Mapping[str, Mapping[str, TemplateSet]]]
WRITE_ATTEMPTS = 5


@dataclass
class Summary:
    """What one mailer run did, logged when it ends."""

    time: datetime
    due: int = 0
    busy: int = 0
    errors: int = 0
    stopped_early: bool = False
    tally: Tally = field(default_factory=Tally)

    def as_dict(self) -> dict[str, Any]:
        return {
            "time": format_instant(self.time),
            "due": self.due,
            **asdict(self.tally),
            "busy": self.busy,
            "errors": self.errors,
            "stopped_early": self.stopped_early,
        }


@dataclass
class Handled:
    """What one order came to, for the run's thread to add to its summary."""

    tally: Tally = field(default_factory=Tally)
    busy: bool = False
    error: bool = False


class KeyedLocks:
    """A lock for each key, made when first asked for."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


class Clients:
    """A run's clients, each read once by the first worker that needs it while the others wait.

    A failed read is not kept: the next order of that client reads it again.
    """

    def __init__(self, load: Callable[[str], Client]) -> None:
        self._load = load
        self._loaded: dict[str, Client] = {}
        self._reading = KeyedLocks()

    def get(self, client_id: str) -> Client:
        with self._reading(client_id):
            if client_id not in self._loaded:
                self._loaded[client_id] = self._load(client_id)
            return self._loaded[client_id]


@dataclass(frozen=True)
class Run:
    """What a run's workers share: its "now", its clients, its throttle and a lock per address.

    Where a client caps invitations, orders of one address take turns: each counts the
    invitations sent before it decides, as when a run handled one order at a time.
    """

    now: datetime
    clients: Clients
    throttle: Throttle
    addresses: KeyedLocks = field(default_factory=KeyedLocks)


class Mailer(UsesStores):
    def run(self, now: datetime, remaining_ms: Callable[[], int]) -> Summary:
        """One pass over everything due by `now`; stops claiming when the Lambda time runs short."""
        summary = Summary(time=now)
        throttle = Throttle(send_rate() * HEADROOM)
        shared = Run(now, Clients(self._client), throttle)
        workers = min(environment.current().mailer_workers, math.ceil(throttle.rate))
        in_flight: set[Future[Handled]] = set()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mailer") as pool:
            for due in self.repository.due_orders(now):
                if len(in_flight) >= workers:
                    _collect(summary, in_flight, FIRST_COMPLETED)
                if remaining_ms() < STOP_MARGIN_MS:
                    summary.stopped_early = True
                    break
                summary.due += 1
                in_flight.add(pool.submit(self._handle, due, shared))
            _collect(summary, in_flight, ALL_COMPLETED)
        return summary

    def _client(self, client_id: str) -> Client:
        stored = self.registry.get_client_settings(client_id)
        return ClientSettings.stored(client_id, stored), self.templates.by_kind(client_id)

    def _handle(self, due: Due, run: Run) -> Handled:
        """One order, in a worker: what it came to, counted even when it failed half way."""
        handled = Handled()
        try:
            self._claim_and_send(due, run, handled)
        except Exception:
            handled.error = True
            logger.exception(
                "order not handled", extra={"client_id": due.client_id, "order_id": due.order_id}
            )
        return handled

    def _claim_and_send(self, due: Due, run: Run, handled: Handled) -> None:
        token = uuid.uuid4().hex
        client, own = run.clients.get(due.client_id)
        with ExitStack() as turn:
            for attempt in range(WRITE_ATTEMPTS):
                record, suppressed = self.repository.get_order_and_suppression(due)
                if record is None:
                    return
                email = record.order.customer.email
                if attempt == 0 and email is not None and client.invitation_cap is not None:
                    turn.enter_context(run.addresses((due.client_id, email)))
                chosen = plan(
                    record.order,
                    MailState.load(record.mail),
                    run.now,
                    token,
                    suppressed=suppressed,
                    capped=self._capped(client, record.order, run.now),
                )
                if chosen.busy:
                    handled.busy = True
                    return
                if not chosen.changed:
                    return
                try:
                    claimed = self._write(client, chosen.order, chosen.mail, record.order.version)
                except VersionConflict:
                    continue
                break
            else:
                logger.warning("order kept changing; left for the next run", extra={"order_id": due.order_id})
                return
            handled.tally.add(chosen.tally)
            for what, reason in chosen.skipped:
                logger.info(
                    "email not sent", extra={"order_id": due.order_id, "email": what, "reason": reason}
                )
            if not chosen.outgoing:
                return
            failed = self._send(claimed.order, client, own, chosen.outgoing, run.throttle)
            self._record(client, claimed, token=token, failed=failed, now=run.now, handled=handled)

    def _capped(self, settings: ClientSettings, order: Order, now: datetime) -> bool:
        """Whether the address had its share of invitations: counts what was really sent, with one Query."""
        cap, email = settings.invitation_cap, order.customer.email
        if cap is None or email is None or pending_kind(order) != "invitation":
            return False
        since = now - timedelta(days=cap.days)
        return self.deliverability.invitations_since(settings.client_id, email, since) >= cap.count

    def _send(
        self,
        order: Order,
        settings: ClientSettings,
        own: Mapping[str, Mapping[str, TemplateSet]],
        outgoing: list[Outgoing],
        throttle: Throttle,
    ) -> set[str]:
        """Sends each email on its own, in its turn: one failing never stops the others."""
        failed: set[str] = set()
        for email in outgoing:
            try:
                message = message_for(order.public(), settings, email.kind, email.status, own)
                throttle.wait()
                ses.send(message)
            except Exception:
                failed.add(email.label)
                logger.exception("send failed", extra={"order_id": order.id, "email": email.label})
        return failed

    def _record(
        self,
        settings: ClientSettings,
        claimed: OrderRecord,
        *,
        token: str,
        failed: set[str],
        now: datetime,
        handled: Handled,
    ) -> None:
        """Writes the outcome, re-reading when someone changed the order meanwhile."""
        record: OrderRecord | None = claimed
        for _ in range(WRITE_ATTEMPTS):
            if record is None:
                return
            mail = MailState.load(record.mail)
            if mail.claim is None or mail.claim.token != token:
                logger.warning("claim settled by another run", extra={"order_id": claimed.order.id})
                return
            order, settled, tally = settle(record.order, mail, mail.claim, failed, now)
            try:
                self._write(settings, order, settled, record.order.version)
            except VersionConflict:
                record = self.repository.get_order(settings.client_id, claimed.order.id)
                continue
            handled.tally.add(tally)
            if tally.sent and order.customer.email:
                self.deliverability.log_invitation(settings.client_id, order.customer.email, order.id, now)
            return
        logger.error("outcome not recorded; the lease will settle it", extra={"order_id": claimed.order.id})

    def _write(self, settings: ClientSettings, order: Order, mail: MailState, version: int) -> OrderRecord:
        record = OrderRecord(order.model_copy(update={"version": version + 1}), mail.dump())
        self.repository.save_order(
            settings.client_id,
            record,
            expected_version=version,
            due_at=mail_state.due_at(record.order, mail),
            retention_days=settings.retention_days,
        )
        return record


def _collect(summary: Summary, in_flight: set[Future[Handled]], until: str) -> None:
    """Adds the orders done to the summary, after waiting for one (FIRST_COMPLETED) or all of them."""
    done, _ = wait(in_flight, return_when=until)
    for future in done:
        in_flight.discard(future)
        handled = future.result()
        summary.busy += handled.busy
        summary.errors += handled.error
        summary.tally.add(handled.tally)
