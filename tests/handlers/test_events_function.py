"""The events function against moto's stream: a record that fails is retried, the others are published once."""

from __future__ import annotations

from typing import Any

import pytest
from orders_api.app import events as events_module

from testkit import Api, bus_recorder, drain_stream


def test_a_failing_record_is_retried_and_nothing_is_published_twice(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = bus_recorder()
    for order_id in ("A", "B", "C"):
        assert (
            api.call("POST", "/v1/orders", body={"order": {"id": order_id, "customer": {"id": "C1"}}}).status
            == 201
        )
    real = events_module.change_of
    failures: list[str] = []

    def flaky(record: dict[str, Any]) -> Any:
        key = record["dynamodb"]["Keys"]["pk"]["S"]
        if key.endswith("#O#B") and not failures:
            failures.append(key)
            raise ValueError("unreadable record")
        return real(record)

    monkeypatch.setattr(events_module, "change_of", flaky)
    drain_stream()  # A published; B fails and is left, with C, for the retry
    drain_stream()  # the retry: B and C
    published = recorder.events()
    assert failures == ["C#demo#O#B"]
    assert [e["data"]["order"]["id"] for e in published] == ["A", "B", "C"]
    assert len({e["id"] for e in published}) == 3


def test_a_write_that_changes_nothing_publishes_nothing(api: Api) -> None:
    recorder = bus_recorder()
    order = {"order": {"id": "N", "customer": {"id": "C1"}}}
    assert api.call("POST", "/v1/orders", body=order).status == 201
    assert api.call("POST", "/v1/orders", body=order).status == 200
    drain_stream()
    assert [e["type"] for e in recorder.events()] == ["order.created"]
