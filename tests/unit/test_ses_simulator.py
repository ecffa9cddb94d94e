"""The local mailbox simulator publishes what SES publishes: the samples in events/ are SES's own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from orders_api.api.feedback import addresses, client_of
from orders_local.ses_simulator import BOUNCE, COMPLAINT, feedback_event

from testkit import TEMPLATE

SENT = {"from": "reviews@example.com", "subject": "Hi", "headers": {"X-Orders-Client": "demo"}}


def shape(value: Any) -> Any:
    """The keys of every object, recursively; lists by their first element."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], dict) else []
    return None


@pytest.mark.parametrize(
    ("address", "sample", "reason"),
    [(BOUNCE, "feedback.json", "bounced"), (COMPLAINT, "feedback-complaint.json", "complained")],
)
def test_the_simulator_event_has_the_shape_of_ses_sample(address: str, sample: str, reason: str) -> None:
    event = feedback_event(SENT, address.upper(), "eu-west-1")
    assert event is not None
    expected = json.loads((TEMPLATE.path.parent / "events" / sample).read_text(encoding="utf-8"))
    for key in ("detail-type", "source"):
        assert event[key] == expected[key]
    made, published = shape(event["detail"]), shape(expected["detail"])
    for part in made:
        if part != "mail":
            assert made[part] == published[part], part
    assert set(made["mail"]) <= set(published["mail"]) | {"tags"}
    assert addresses(event["detail"]) == (reason, [address.upper()])
    assert client_of(event["detail"]["mail"]) == "demo"


def test_other_addresses_get_no_feedback() -> None:
    assert feedback_event(SENT, "jane@example.com", "eu-west-1") is None
