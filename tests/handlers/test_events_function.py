"""The events function against moto's stream: a record that fails is retried, the others are published once,
and a record whose retries are spent goes to the mapping's dead-letter queue."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from orders_api import settings
from orders_api.app import events as events_module

from testkit import TEMPLATE, Api, bus_recorder, drain_stream

SOURCE = TEMPLATE.functions["EventsFunction"].streams[0]


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


def _dead_letters() -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=str(SOURCE.on_failure))["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


def _keys_at(sequence: str) -> str:
    """The pk of the stream record at a sequence number."""
    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    arn = boto3.client("dynamodb").describe_table(TableName=SOURCE.table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=sequence
    )["ShardIterator"]
    return str(
        streams.get_records(ShardIterator=iterator, Limit=1)["Records"][0]["dynamodb"]["Keys"]["pk"]["S"]
    )


def _create(api: Api, order_id: str) -> None:
    body = {"order": {"id": order_id, "customer": {"id": "C1", "email": "jane@example.com"}}}
    assert api.call("POST", "/v1/orders", body=body).status == 201


def test_a_record_that_keeps_failing_goes_to_the_dead_letter_queue_and_reading_goes_on(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = bus_recorder()
    for order_id in ("A", "B", "C"):
        _create(api, order_id)
    real = events_module.change_of
    failures: list[str] = []

    def broken(record: dict[str, Any]) -> Any:
        if record["dynamodb"]["Keys"]["pk"]["S"].endswith("#O#B"):
            failures.append(record["dynamodb"]["SequenceNumber"])
            raise ValueError("unreadable record")
        return real(record)

    monkeypatch.setattr(events_module, "change_of", broken)
    while len(failures) <= SOURCE.max_retries - 1:
        drain_stream()  # A published once; B fails and is retried, and C waits behind it
    assert _dead_letters() == []
    drain_stream()  # B's last retry fails too: it goes to the queue, and C is read
    assert len(failures) == SOURCE.max_retries + 1
    assert [e["data"]["order"]["id"] for e in recorder.events()] == ["A", "C"]
    [dead] = _dead_letters()
    info = dead["DDBStreamBatchInfo"]
    assert _keys_at(info["startSequenceNumber"]) == "C#demo#O#B"
    assert (info["endSequenceNumber"], info["batchSize"]) == (info["startSequenceNumber"], 1)
    assert dead["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert dead["requestContext"]["approximateInvokeCount"] == SOURCE.max_retries + 1
    assert "functionError" not in dead["responseContext"]
    assert "jane@example.com" not in json.dumps(dead)
    assert "sent to the on-failure queue" in caplog.text
    assert "jane@example.com" not in caplog.text


def test_a_function_error_retries_the_batch_and_then_gives_its_first_record_up(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = bus_recorder()
    _create(api, "A")

    def unreachable(events: Any) -> int:
        raise RuntimeError("the bus is down; it was sending jane@example.com")

    with monkeypatch.context() as patched:
        patched.setattr(events_module.bus, "put", unreachable)
        for _ in range(SOURCE.max_retries + 1):
            drain_stream()
    [dead] = _dead_letters()
    assert _keys_at(dead["DDBStreamBatchInfo"]["startSequenceNumber"]) == "C#demo#O#A"
    assert dead["responseContext"]["functionError"] == "Unhandled"
    assert "RuntimeError" in caplog.text
    assert "jane@example.com" not in caplog.text
    _create(api, "B")
    drain_stream()
    assert [e["data"]["order"]["id"] for e in recorder.events()] == ["B"]


def test_webhook_messages_go_ten_to_a_call_and_a_refused_call_is_retried_from_its_first_record(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOKS_ALLOW_LOCAL_HTTP", "true")
    settings.reload()
    assert (
        api.call("POST", "/v1/webhooks", body={"url": "http://127.0.0.1:9/", "events": ["*"]}).status == 201
    )
    for number in range(12):
        _create(api, f"O{number}")
    real = events_module.queue.send
    calls: list[int] = []

    def refuses_the_second_call_once(bodies: Any) -> int:
        calls.append(len(bodies))
        if len(calls) == 2:
            raise RuntimeError("SQS refused 2 delivery messages")
        return real(bodies)

    monkeypatch.setattr(events_module.queue, "send", refuses_the_second_call_once)
    drain_stream()
    assert calls == [10, 2, 2]  # the retry starts at order O10's record: O0-O9 are not queued again
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="WebhookDeliveryQueue")["QueueUrl"]
    queued: list[str] = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        queued += [json.loads(m["Body"])["event"]["data"]["order"]["id"] for m in batch]
    assert sorted(queued) == sorted(f"O{number}" for number in range(12))
