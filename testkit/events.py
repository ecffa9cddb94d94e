"""The stream and the delivery queue driven in-process, as `make run` drives them in the background."""

from __future__ import annotations

import boto3
from botocore.config import Config
from orders_local.bus import BusRecorder
from orders_local.queues import QueuePoller
from orders_local.stream import StreamPoller

from testkit.functions import FUNCTIONS, TEMPLATE

_pollers: dict[str, StreamPoller | QueuePoller] = {}


def stream_poller() -> StreamPoller:
    """A new poller of the events function's stream, reading from its start, as `make run` makes it."""
    # In-process moto knows the regional streams endpoint, not the account-based one boto3 now picks;
    # the moto server behind `make run` is reached through AWS_ENDPOINT_URL and needs no help.
    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    source = TEMPLATE.functions["EventsFunction"].streams[0]
    dead_letters = boto3.client("sqs").get_queue_url(QueueName=str(source.on_failure))["QueueUrl"]
    return StreamPoller(FUNCTIONS, "EventsFunction", source, dead_letters, streams=streams)


def _stream_poller() -> StreamPoller:
    arn = boto3.client("dynamodb").describe_table(TableName="OrdersTable")["Table"]["LatestStreamArn"]
    if arn not in _pollers:
        _pollers[arn] = stream_poller()
    return _pollers[arn]  # type: ignore[return-value]


def drain_stream() -> int:
    """Invokes the events function until the stream has nothing new; answers the records handled."""
    poller, handled = _stream_poller(), 0
    while busy := poller.poll_once():
        handled += busy
    return handled


def drain_queue() -> int:
    """One pass of the delivery queue through the delivery function; answers the messages handled."""
    url = boto3.client("sqs").get_queue_url(QueueName="WebhookDeliveryQueue")["QueueUrl"]
    if url not in _pollers:
        _pollers[url] = QueuePoller(FUNCTIONS, "DeliverWebhooksFunction", url)
    return _pollers[url].poll_once()


def bus_recorder() -> BusRecorder:
    """Records what is put on the template's buses from now on."""
    return BusRecorder(list(TEMPLATE.of_type("AWS::Events::EventBus")))
