"""The local runtime's forced fault (POST /_local/faults) in-process: it waits for an API request,
leaves the schedule's run alone, and fires once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from testkit import Api
from testkit.functions import FUNCTIONS

pytestmark = pytest.mark.usefixtures("sender")


@pytest.fixture(autouse=True)
def disarmed() -> Iterator[None]:
    yield
    FUNCTIONS.faults.disarm()


def order(order_id: str) -> dict[str, Any]:
    return {
        "order": {
            "id": order_id,
            "customer": {"id": "C1", "email": "c1@example.com"},
            "items": [{"id": "SKU-1", "name": "Trail shoe"}],
            "invitation": {"delay": {"unit": "minutes", "amount": 0}, "from": "order"},
        }
    }


def test_the_fault_waits_for_an_api_request_and_fails_its_write_once(api: Api) -> None:
    assert api.call("POST", "/v1/orders", body=order("O1")).status == 201
    FUNCTIONS.faults.arm(1)
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    summary = FUNCTIONS.invoke("MailerFunction", {"time": later})
    assert (summary["sent"], summary["errors"]) == (1, 0)  # the run wrote its claim and outcome
    assert FUNCTIONS.faults.fail_write == 1
    failed = api.call("POST", "/v1/orders", body=order("O2"))
    assert failed.status == 500
    assert failed.json["title"] == "Internal server error"
    assert FUNCTIONS.faults.fail_write is None
    assert api.call("GET", "/v1/orders/O2").status == 404
    assert api.call("POST", "/v1/orders", body=order("O2")).status == 201
