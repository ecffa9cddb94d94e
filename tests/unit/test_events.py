"""The image-to-events mapping, the address rules of webhooks and their signature."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from orders_api.domain.events import Change, CustomerImage, derive
from orders_api.domain.models import Order
from orders_api.domain.webhooks import UrlRefused, check_url, outcome, refusal, retry_delay, signature
from standardwebhooks import Webhook

NOW = datetime(2026, 4, 1, 8, tzinfo=UTC)


def order(**changes: Any) -> Order:
    base: dict[str, Any] = {
        "id": "O1",
        "customer": {"id": "C1", "email": "jane@example.com", "name": "Jane Doe", "phone": "+31 6 1234 5678"},
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
        "invitation": {"state": "scheduled"},
    }
    return Order.model_validate({**base, **changes})


def events(old: Any, new: Any) -> list[tuple[str, dict[str, Any]]]:
    change = Change(record_id="rec-1", at="2026-04-01T08:00:00Z", client_id="acme", old=old, new=new)
    return [(event.type, event.data) for event in derive(change)]


def test_a_new_order_is_created() -> None:
    [(kind, data)] = events(None, order())
    assert kind == "order.created"
    assert data["order"]["version"] == 1


def test_a_write_that_changes_nothing_makes_no_event() -> None:
    assert events(order(), order()) == []


def test_a_changed_field_is_an_update() -> None:
    assert [k for k, _ in events(order(), order(note="gift", version=2))] == ["order.updated"]


def test_a_move_to_canceled_is_two_events() -> None:
    canceled = order(status="canceled", version=2, invitation={"state": "canceled", "reason": "canceled"})
    found = events(order(), canceled)
    assert [k for k, _ in found] == ["order.status_changed", "invitation.canceled"]
    assert found[0][1]["from"] == "placed"
    assert found[0][1]["to"] == "canceled"
    assert found[1][1] == {"order_id": "O1", "kind": "invitation", "reason": "canceled"}


def test_a_delete_is_order_deleted() -> None:
    assert [k for k, _ in events(order(), order(deleted=True, deleted_at=NOW, version=2))] == [
        "order.deleted"
    ]


@pytest.mark.parametrize(
    ("was", "now", "expected"),
    [
        ("scheduled", {"state": "sent"}, ("invitation.sent", "invitation")),
        ("sent", {"state": "reminded"}, ("invitation.reminded", "reminder")),
        ("sent", {"state": "failed", "reason": "send_failed"}, ("invitation.failed", "reminder")),
        (
            "scheduled",
            {"state": "not_eligible", "reason": "opted_out"},
            ("invitation.canceled", "invitation"),
        ),
    ],
)
def test_invitation_moves(was: str, now: dict[str, Any], expected: tuple[str, str]) -> None:
    [(kind, data)] = events(order(invitation={"state": was}), order(invitation=now, version=2))
    assert (kind, data["kind"]) == expected


def test_events_after_an_erasure_hold_no_personal_data() -> None:
    erased = order(customer={"id": "C1"}, status="paid", version=2)
    found = events(order(), erased)
    text = repr(found)
    for personal in ("jane@example.com", "Jane Doe", "1234"):
        assert personal not in text
    assert events(CustomerImage("C1"), CustomerImage("C1", erased=True)) == [
        ("customer.erased", {"customer_id": "C1"})
    ]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (CustomerImage("C1", opt_out=True), "customer.opted_out"),
        (CustomerImage("C1", suppressed="bounced"), "email.bounced"),
        (CustomerImage("C1", suppressed="complained"), "email.complained"),
    ],
)
def test_customer_events(new: CustomerImage, expected: str) -> None:
    assert events(CustomerImage("C1"), new) == [(expected, {"customer_id": "C1"})]


def test_event_ids_are_stable_per_record_and_type() -> None:
    change = Change("rec-1", "t", "acme", None, order())
    assert derive(change)[0].id == derive(change)[0].id
    assert derive(change)[0].id != derive(Change("rec-2", "t", "acme", None, order()))[0].id


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "100.64.0.1",
        "fd00:ec2::254",
        "::1",
        "192.168.1.1",
        "fe80::1",
    ],
)
def test_only_public_addresses_are_allowed(address: str) -> None:
    assert refusal(address, allow_local_http=False) is not None


def test_a_public_address_is_allowed() -> None:
    assert refusal("93.184.216.34", allow_local_http=False) is None


@pytest.mark.parametrize(
    "url", ["http://shop.example/hook", "ftp://shop.example/", "https://u:p@shop.example/", "https:///x"]
)
def test_urls_refused_before_resolving(url: str) -> None:
    with pytest.raises(UrlRefused):
        check_url(url, allow_local_http=False)


def test_local_http_only_on_127_0_0_1() -> None:
    assert check_url("http://127.0.0.1:8080/x", allow_local_http=True) == ("http", "127.0.0.1", 8080)
    with pytest.raises(UrlRefused):
        check_url("http://localhost:8080/x", allow_local_http=True)


def test_the_signature_verifies_with_standardwebhooks() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"id":"evt_1","type":"order.created"}'
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {
        "webhook-id": "evt_1",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, "evt_1", timestamp, body),
    }
    assert Webhook(secret).verify(body, headers) == {"id": "evt_1", "type": "order.created"}


def test_retries_span_a_day_and_start_within_a_minute() -> None:
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[0] is not None
    assert delays[0] <= 60
    assert sum(d or 0 for d in delays) >= 24 * 3600
    assert outcome(500, 10) == "dropped"
    assert outcome(204, 1) == "delivered"
    assert outcome(None, 1) == "retry"
