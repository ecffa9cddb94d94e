"""The mailer function in-process against moto: exactly-once sending, send rules, faults and scale."""

from __future__ import annotations

import email
import email.policy
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from orders_api import settings
from orders_api.adapters import ses
from orders_api.app import mailer
from orders_api.app.send_rate import HEADROOM, Throttle
from orders_api.domain import emails, mail_rules
from orders_api.domain.template_sets import TemplateSet
from orders_api.log import logger
from orders_api.store import keys
from orders_api.store.deliverability import Deliverability
from orders_api.store.documents import order_key
from orders_api.store.orders import Due, Repository
from orders_api.store.templates import TemplateStore

from testkit import SENDER, TEMPLATE, Api, Context, DynamoCalls, handler_module
from testkit.aws import ses_account
from testkit.mailer import REMIND_AT, SEND_AT, TODAY, bulk_orders, run
from tests.handlers.conftest import order_path

MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def sender_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", SENDER)
    settings.reload()


def order_body(
    order_id: str = "O1", *, customer: str = "C1", email_address: str | None = None, **fields: Any
) -> Any:
    return {
        "order": {
            "id": order_id,
            "customer": {"id": customer, "email": email_address or f"{customer.lower()}@example.com"},
            "items": [{"id": "SKU-1", "name": "Trail shoe", "delivery_date": TODAY.isoformat()}],
            "invitation": {"delay": {"unit": "days", "amount": 1}, "reminder": {"unit": "days", "amount": 3}},
            **fields,
        }
    }


def create(api: Api, order_id: str = "O1", **fields: Any) -> dict[str, Any]:
    reply = api.call("POST", "/v1/orders", body=order_body(order_id, **fields))
    assert reply.status == 201, reply.text
    data: dict[str, Any] = reply.json["data"]
    return data


def invitation_of(api: Api, order_id: str = "O1") -> dict[str, Any]:
    data: dict[str, Any] = api.call("GET", order_path(order_id)).json["data"]["invitation"]
    return data


def outbox() -> list[EmailMessage]:
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    parsed = [email.message_from_string(m.raw_data, policy=email.policy.default) for m in sent]
    return [m for m in parsed if isinstance(m, EmailMessage)]


def recipients() -> Counter[str]:
    """How many emails each address got."""
    return Counter(str(m["To"]) for m in outbox())


def counts(summary: dict[str, Any]) -> dict[str, int]:
    return {k: v for k, v in summary.items() if isinstance(v, int) and not isinstance(v, bool) and v}


def test_a_shop_template_failing_at_send_time_sends_the_built_in_one_and_logs(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write-time check makes this unexpected (a template stored before a rule changed); no email is lost."""
    create(api, locale="de")
    broken = TemplateSet("{{ gone }}", "text", "<p>html</p>")
    TemplateStore().put("demo", "invitation", "de", broken, datetime.now(UTC))
    logged: list[dict[str, Any]] = []
    monkeypatch.setattr(logger, "error", lambda message, **kw: logged.append({"message": message, **kw}))
    assert counts(run(SEND_AT))["sent"] == 1
    [sent] = outbox()
    assert sent["Subject"] == "Wie gefällt Ihnen Ihre Bestellung O1?"
    assert sent["Content-Language"] == "de"
    [entry] = logged
    assert entry["message"] == "shop template failed; the built-in one was sent"
    assert entry["extra"]["part"] == "subject"


# --- the happy path -----------------------------------------------------------------------------


def test_one_invitation_then_one_reminder(api: Api) -> None:
    created = create(api)
    assert created["invitation"]["send_at"] == SEND_AT.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    assert counts(run(SEND_AT - MINUTE)) == {}
    assert counts(run(SEND_AT)) == {"due": 1, "sent": 1}
    assert counts(run(SEND_AT + MINUTE)) == {}
    assert counts(run(REMIND_AT - MINUTE)) == {}
    assert counts(run(REMIND_AT)) == {"due": 1, "reminded": 1}
    assert counts(run(REMIND_AT + timedelta(days=30))) == {}
    [invitation, reminder] = outbox()
    assert invitation["To"] == "c1@example.com"
    assert invitation["Subject"] == "How do you like your order O1?"
    assert reminder["Subject"] == "Reminder: how do you like your order O1?"
    assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    state = invitation_of(api)
    assert (state["state"], state["sent_at"][:19], state["reminded_at"][:19]) == (
        "reminded",
        SEND_AT.isoformat()[:19],
        REMIND_AT.isoformat()[:19],
    )


def test_a_merge_before_send_at_moves_the_invitation(api: Api) -> None:
    create(api)
    later = (TODAY + timedelta(days=2)).isoformat()
    api.call(
        "POST",
        "/v1/orders",
        body={
            "order": {
                "id": "O1",
                "customer": {"id": "C1"},
                "items": [{"id": "SKU-2", "name": "Socks", "delivery_date": later}],
            }
        },
    )
    assert counts(run(SEND_AT)) == {}
    assert counts(run(SEND_AT + timedelta(days=2))) == {"due": 1, "sent": 1}


def test_status_emails_are_sent_even_to_opted_out_customers(api: Api) -> None:
    create(api)
    assert api.call("PATCH", "/v1/customers/C1", body={"opt_out": True}).status == 200
    moved = api.call(
        "PUT",
        "/v1/orders/O1/status",
        body={"status": "shipped", "note": "Tracking #AB", "notify_customer": True},
    )
    assert moved.status == 200
    summary = run(datetime.now(UTC) + MINUTE)
    assert counts(summary) == {"due": 1, "status_sent": 1}
    [status] = outbox()
    assert status["Subject"] == "Your order O1 is now shipped"
    assert status["List-Unsubscribe"] is None
    body = status.get_body(("plain",))
    assert body is not None
    assert "Tracking #AB" in body.get_content()
    assert counts(run(SEND_AT)) == {}
    assert (invitation_of(api)["state"], invitation_of(api)["reason"]) == ("canceled", "opted_out")


def test_a_status_email_queued_in_the_second_of_the_schedules_time_goes_out_with_that_run(api: Api) -> None:
    """The deployed event (events/mailer.json, as EventBridge Scheduler fills it: whole seconds) for the
    second the email was queued in: the email is due a fraction after that time, and goes out."""
    create(api)
    moved = api.call("PUT", "/v1/orders/O1/status", body={"status": "shipped", "notify_customer": True})
    assert moved.status == 200
    queued = datetime.fromisoformat(moved.json["data"]["updated_at"])
    event = json.loads((TEMPLATE.path.parent / "events" / "mailer.json").read_text(encoding="utf-8"))
    event["time"] = queued.strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = handler_module("MailerFunction").lambda_handler(event, Context(300_000))
    assert counts(summary) == {"due": 1, "status_sent": 1}
    assert [m["Subject"] for m in outbox()] == ["Your order O1 is now shipped"]


# --- send rules -----------------------------------------------------------------------------------


def test_orders_that_may_not_be_invited_send_nothing_and_say_why(api: Api) -> None:
    for order_id, customer in (("opted-out", "A"), ("canceled", "B"), ("deleted", "C"), ("nothing", "D")):
        create(api, order_id, customer=customer)
    no_email = order_body("no-email", customer="E")
    no_email["order"]["customer"]["email"] = None
    assert api.call("POST", "/v1/orders", body=no_email).status == 201
    assert api.call("PATCH", "/v1/customers/A", body={"opt_out": True}).status == 200
    assert api.call("PUT", "/v1/orders/canceled/status", body={"status": "canceled"}).status == 200
    assert api.call("DELETE", "/v1/orders/deleted").status == 200
    unreviewable = {
        "order": {"id": "nothing", "customer": {"id": "D"}, "items": [{"id": "SKU-1", "reviewable": False}]}
    }
    assert api.call("POST", "/v1/orders", body=unreviewable).status == 200
    assert counts(run(SEND_AT)) == {"due": 1, "skipped": 1}
    assert counts(run(REMIND_AT)) == {}
    assert outbox() == []
    expected = {
        "opted-out": ("canceled", "opted_out"),
        "canceled": ("canceled", "canceled"),
        "deleted": ("canceled", "deleted"),
        "nothing": ("not_eligible", "no_reviewable_items"),
        "no-email": ("not_eligible", "no_email"),
    }
    for order_id, (state, reason) in expected.items():
        invitation = invitation_of(api, order_id)
        assert (invitation["state"], invitation["reason"]) == (state, reason), order_id


# --- faults ---------------------------------------------------------------------------------------


def failing_for(recipient: str, attempts: list[str]) -> Callable[[emails.Message], str]:
    real = ses.send

    def send(message: emails.Message) -> str:
        attempts.append(message.recipient)
        if message.recipient == recipient:
            raise ConnectionError("SES is unreachable")
        return real(message)

    return send


def test_one_failing_email_never_stops_the_others_and_goes_out_later(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    for order_id, customer in (("O1", "Ann"), ("O2", "Bob"), ("O3", "Cat")):
        create(api, order_id, customer=customer)
    tried: list[str] = []
    monkeypatch.setattr(ses, "send", failing_for("bob@example.com", tried))
    assert counts(run(SEND_AT)) == {"due": 3, "sent": 2, "retried": 1}
    assert sorted(m["To"] for m in outbox()) == ["ann@example.com", "cat@example.com"]
    monkeypatch.undo()
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", SENDER)
    settings.reload()
    assert counts(run(SEND_AT + 4 * MINUTE)) == {}
    assert counts(run(SEND_AT + 5 * MINUTE)) == {"due": 1, "sent": 1}
    assert sorted(m["To"] for m in outbox()) == ["ann@example.com", "bob@example.com", "cat@example.com"]
    assert invitation_of(api, "O2")["sent_at"][:16] == (SEND_AT + 5 * MINUTE).isoformat()[:16]


def test_after_five_failures_the_email_is_failed_and_never_sent(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(api, "O1", customer="Bob")
    create(api, "O2", customer="Ann")
    tried: list[str] = []
    monkeypatch.setattr(ses, "send", failing_for("bob@example.com", tried))
    moments = [SEND_AT + timedelta(minutes=m) for m in (0, 5, 15, 35, 75)]
    summaries = [counts(run(moment)) for moment in moments]
    assert summaries[0] == {"due": 2, "sent": 1, "retried": 1}
    assert summaries[1:4] == [{"due": 1, "retried": 1}] * 3
    assert summaries[4] == {"due": 1, "failed": 1}
    assert tried.count("bob@example.com") == 5
    monkeypatch.undo()
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", SENDER)
    settings.reload()
    assert counts(run(SEND_AT + timedelta(days=1))) == {}
    assert counts(run(REMIND_AT)) == {"due": 1, "reminded": 1}
    assert [m["To"] for m in outbox()] == ["ann@example.com", "ann@example.com"]
    assert (invitation_of(api, "O1")["state"], invitation_of(api, "O1")["reason"]) == (
        "failed",
        "send_failed",
    )


@pytest.mark.filterwarnings("ignore:No application metrics")
def test_a_run_that_dies_after_claiming_never_causes_a_second_send(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(api)

    def die(*_: Any, **__: Any) -> None:
        raise SystemExit("the Lambda ran out of time")

    with monkeypatch.context() as patch:
        patch.setattr(mailer.Mailer, "_record", die)
        with pytest.raises(SystemExit):
            run(SEND_AT)
    assert len(outbox()) == 1
    assert counts(run(SEND_AT + 5 * MINUTE)) == {}
    assert counts(run(SEND_AT + mail_rules.LEASE)) == {"due": 1, "unconfirmed": 1}
    assert counts(run(SEND_AT + mail_rules.LEASE + MINUTE)) == {}
    assert len(outbox()) == 1
    assert invitation_of(api)["state"] == "sent"
    assert counts(run(REMIND_AT)) == {"due": 1, "reminded": 1}


@pytest.fixture
def one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs that handle one order at a time, for tests that set up one exact interleaving of two runs."""
    monkeypatch.setenv("MAILER_WORKERS", "1")
    settings.reload()


@pytest.mark.usefixtures("one_worker")
def test_a_run_started_while_another_sends_leaves_the_claimed_order_alone(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(api, "O1", customer="Ann")
    create(api, "O2", customer="Bob")
    real = ses.send
    inner: list[dict[str, Any]] = []

    def send_while_another_run_starts(message: emails.Message) -> str:
        if not inner:
            inner.append({})
            inner[0] = mailer.Mailer().run(SEND_AT, lambda: 300_000).as_dict()
        return real(message)

    monkeypatch.setattr(ses, "send", send_while_another_run_starts)
    outer = run(SEND_AT)
    assert (outer["sent"], inner[0]["sent"]) == (1, 1)
    assert sorted(m["To"] for m in outbox()) == ["ann@example.com", "bob@example.com"]


@pytest.mark.usefixtures("one_worker")
def test_runs_racing_for_the_same_claim_send_each_email_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(api, "O1", customer="Ann")
    create(api, "O2", customer="Bob")
    real = Repository.save_order
    inner: list[dict[str, Any]] = []

    def claim_after_another_run(self: Repository, *args: Any, **kwargs: Any) -> None:
        if not inner:
            inner.append({})
            inner[0] = mailer.Mailer().run(SEND_AT, lambda: 300_000).as_dict()
        real(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "save_order", claim_after_another_run)
    outer = run(SEND_AT)
    assert (inner[0]["due"], inner[0]["sent"]) == (2, 2)
    assert (outer["due"], outer["sent"], outer["errors"]) == (2, 0, 0)
    assert sorted(m["To"] for m in outbox()) == ["ann@example.com", "bob@example.com"]


def test_a_broken_order_does_not_stop_the_run(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    create(api, "O1", customer="Ann")
    create(api, "O2", customer="Bob")
    real = Repository.get_order_and_suppression

    def get_order_and_suppression(self: Repository, due: Due) -> Any:
        if due.order_id == "O1":
            raise RuntimeError("corrupt item")
        return real(self, due)

    monkeypatch.setattr(Repository, "get_order_and_suppression", get_order_and_suppression)
    assert counts(run(SEND_AT)) == {"due": 2, "sent": 1, "errors": 1}


# --- time budget ----------------------------------------------------------------------------------


class Shrinking(Context):
    """Plenty of time for the first `orders` orders, then too little."""

    def __init__(self, orders: int) -> None:
        super().__init__(300_000)
        self.calls = 0
        self.orders = orders

    def get_remaining_time_in_millis(self) -> int:
        self.calls += 1
        return 300_000 if self.calls <= self.orders else mailer.STOP_MARGIN_MS - 1


def test_a_run_stops_claiming_before_its_time_runs_out(api: Api) -> None:
    for n in range(3):
        create(api, f"O{n}", customer=f"C{n}")
    handler = handler_module("MailerFunction").lambda_handler
    summary = handler({"time": SEND_AT.isoformat()}, Shrinking(orders=1))
    assert (summary["due"], summary["sent"], summary["stopped_early"]) == (1, 1, True)
    assert counts(run(SEND_AT, remaining_ms=mailer.STOP_MARGIN_MS - 1)) == {}
    assert counts(run(SEND_AT)) == {"due": 2, "sent": 2}


def test_a_run_spends_its_time_budget_and_the_next_runs_send_the_rest_each_once(
    api: Api, repository: Repository
) -> None:
    bulk_orders(repository, due=300, future=0, idle=0)
    summaries = [run(SEND_AT, context=Shrinking(orders=80))]
    while summaries[-1]["stopped_early"]:
        summaries.append(run(SEND_AT, context=Shrinking(orders=80)))
    assert [(s["due"], s["sent"], s["errors"]) for s in summaries] == [(80, 80, 0)] * 3 + [(60, 60, 0)]
    assert recipients() == Counter({f"c{n}@example.com": 1 for n in range(300)})


# --- workers and rate -----------------------------------------------------------------------------


def test_a_run_sends_many_orders_at_once(
    api: Api, repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No send goes on until four are under way: a run handling one order at a time would never get there."""
    bulk_orders(repository, due=40, future=0, idle=0)
    together = threading.Barrier(4, timeout=30)
    arrivals = itertools.count()
    real = ses.send

    def send_once_four_are_sending(message: emails.Message) -> str:
        if next(arrivals) < 4:
            together.wait()  # broken after 30 s alone: the send fails and the run counts a retry
        return real(message)

    monkeypatch.setattr(ses, "send", send_once_four_are_sending)
    assert counts(run(SEND_AT)) == {"due": 40, "sent": 40}
    assert recipients() == Counter({f"c{n}@example.com": 1 for n in range(40)})


def test_two_runs_at_once_send_each_email_once(api: Api, repository: Repository) -> None:
    bulk_orders(repository, due=120, future=0, idle=0)
    start = threading.Barrier(2)
    summaries: list[dict[str, Any]] = []

    def one_run() -> None:
        start.wait()
        summaries.append(mailer.Mailer().run(SEND_AT, lambda: 300_000).as_dict())

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(s["sent"] for s in summaries) == 120
    assert sum(s["errors"] for s in summaries) == 0
    assert recipients() == Counter({f"c{n}@example.com": 1 for n in range(120)})


class FrozenClock:
    """A clock that never moves: each wait a throttle asks for is where its send's slot lies."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_every_send_waits_its_turn_at_the_accounts_rate_with_no_more_orders_in_flight(
    api: Api, repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_orders(repository, due=12, future=0, idle=0)
    clock = FrozenClock()
    monkeypatch.setattr(mailer, "Throttle", lambda rate: Throttle(rate, clock=clock, sleep=clock.sleep))
    sending = Counter[str]()
    lock = threading.Lock()
    real = ses.send

    def send_counting(message: emails.Message) -> str:
        with lock:
            sending["now"] += 1
            sending["most"] = max(sending["most"], sending["now"])
        try:
            return real(message)
        finally:
            with lock:
                sending["now"] -= 1

    monkeypatch.setattr(ses, "send", send_counting)
    with ses_account(5.0):
        assert counts(run(SEND_AT)) == {"due": 12, "sent": 12}
    # 5 a second, less the headroom: the first goes at once, each other one 1/4.75 s after the one before.
    assert sorted(clock.waits) == pytest.approx([n / (5 * HEADROOM) for n in range(1, 12)])
    assert 1 <= sending["most"] <= 5


# --- DynamoDB use ---------------------------------------------------------------------------------


def test_one_due_order_costs_a_query_per_shard_two_reads_three_writes_and_one_template_query(
    api: Api, ddb_calls: DynamoCalls
) -> None:
    """Reads: the client's settings, the order with its address's suppression. Writes: claim, outcome, sent log."""
    create(api)
    ddb_calls.clear()
    run(SEND_AT)
    # 8 shards of the due index, then the client's own templates, read with its settings once a run
    assert dict(ddb_calls) == {"Query": 8 + 1, "GetItem": 1, "BatchGetItem": 1, "PutItem": 3}


@pytest.mark.parametrize(
    ("entry_email", "suppression_reads"),
    [("c1@example.com", 0), ("someone.else@example.com", 1), (None, 1)],
    ids=["as written", "another address", "written without one"],
)
def test_the_orders_own_address_decides_whatever_address_its_due_entry_holds(
    api: Api, repository: Repository, ddb_calls: DynamoCalls, entry_email: str | None, suppression_reads: int
) -> None:
    """The due entry's address lets the order and its suppression be read together; the index lags the
    table and entries written before held none, so a suppression of another address is read after."""
    create(api)
    Deliverability().suppress("demo", "C1@example.com", "bounced", datetime.now(UTC))
    item = repository.client.get_item(TableName=repository.table, Key=order_key("demo", "O1"))["Item"]
    due_at = item["due_sk"]["S"].split("#", 1)[0]
    item["due_sk"] = {"S": keys.due_sort_key(due_at, "demo", "O1", entry_email)}
    repository.client.put_item(TableName=repository.table, Item=item)
    ddb_calls.clear()
    assert counts(run(SEND_AT)) == {"due": 1, "skipped": 1}
    assert (ddb_calls["BatchGetItem"], ddb_calls["GetItem"]) == (1, 1 + suppression_reads)
    assert outbox() == []
    invitation = invitation_of(api)
    assert (invitation["state"], invitation["reason"]) == ("canceled", "bounced")


def test_scale_20000_orders_200_due(api: Api, repository: Repository, ddb_calls: DynamoCalls) -> None:
    bulk_orders(repository, due=200, future=9_800, idle=10_000)
    ddb_calls.clear()
    started = time.perf_counter()
    summary = run(SEND_AT)
    elapsed = time.perf_counter() - started
    assert (summary["due"], summary["sent"], summary["errors"]) == (200, 200, 0)
    assert len(outbox()) == 200
    assert "Scan" not in ddb_calls
    assert ddb_calls["BatchGetItem"] == 200  # each order with its address's suppression
    assert ddb_calls["GetItem"] == 1  # the client's settings, once
    assert ddb_calls["PutItem"] == 3 * 200  # claim, outcome, sent log
    assert ddb_calls["Query"] <= 8 * 2 + 1
    print(f"\nscale: {dict(ddb_calls)} in {elapsed:.1f} s")
    assert counts(run(SEND_AT + MINUTE)) == {}
