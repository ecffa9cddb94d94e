"""`python -m orders_local`: the whole API on 127.0.0.1 in one process, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import ExitStack
from types import FrameType

from orders_api import settings
from orders_api.store.registry import Registry

from orders_local.apigateway import ApiGateway
from orders_local.aws import start_local_aws
from orders_local.bus import BusRecorder
from orders_local.local_routes import LocalRoutes
from orders_local.polling import Poller
from orders_local.queues import QueuePoller
from orders_local.resources import create_resources
from orders_local.runtime import DEFAULT_MAILER_INTERVAL, FunctionRuntime, ScheduleTimer
from orders_local.seeds import DEFAULT_API_KEYS, parse_api_keys, seed_clients
from orders_local.server import serve
from orders_local.ses_simulator import SesSimulator
from orders_local.stream import StreamPoller
from orders_local.template import Template, TemplateError, load_template

DEFAULT_PORT = 3000
BASE_URL_VARIABLE = "PUBLIC_BASE_URL"


def _settings() -> tuple[int, float, list[tuple[str, str]]]:
    port_text = os.environ.get("ORDERS_PORT") or str(DEFAULT_PORT)
    interval_text = os.environ.get("ORDERS_MAILER_INTERVAL") or str(DEFAULT_MAILER_INTERVAL)
    try:
        port, interval = int(port_text), float(interval_text)
    except ValueError:
        raise ValueError("ORDERS_PORT must be an integer and ORDERS_MAILER_INTERVAL a number") from None
    if not 0 <= port <= 65535 or not interval > 0:
        raise ValueError("ORDERS_PORT must be 0-65535 and ORDERS_MAILER_INTERVAL above 0")
    return port, interval, parse_api_keys(os.environ.get("ORDERS_API_KEYS", DEFAULT_API_KEYS))


def _configure_logging() -> None:
    """Our own handler, so the handlers' Powertools loggers keep their JSON output untouched."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("orders_local")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def _banner(url: str, aws_url: str, pairs: list[tuple[str, str]], schedule: ScheduleTimer) -> list[str]:
    lines = [
        "Orders API, local",
        f"  API      {url}",
        f"  Docs     {url}/v1/docs",
        f"  AWS      {aws_url} (moto; use it as AWS_ENDPOINT_URL)",
    ]
    lines += [f"  Client   {client_id}  key {key}" for client_id, key in pairs]
    if schedule.function is None:
        lines.append("  Mailer   template.yaml schedules no function yet")
    else:
        deployed = ", ".join(s.expression or s.name for s in schedule.function.schedules)
        lines.append(
            f"  Mailer   {schedule.function.name} every {schedule.interval:g} s (deployed: {deployed}); "
            f"POST {url}/_local/schedule/run runs it now"
        )
    lines += [
        f"  Outbox   GET {url}/_local/outbox",
        f"  Events   GET {url}/_local/events (the stream drives the events function; webhooks may call http://127.0.0.1)",
        f'  Faults   POST {url}/_local/faults {{"fail_write": N}}: the next API request fails at its Nth DynamoDB write',
        "  Data lives in memory only and is gone when this process stops.",
    ]
    return lines


def event_sources(template: Template, runtime: FunctionRuntime, resources: dict[str, str]) -> list[Poller]:
    """A poller per stream and queue event source of the template, as Lambda's event source mappings.

    A stream's poller sends what it gives up on to the queue its mapping names as on-failure destination.
    """
    pollers: list[Poller] = []
    for function in template.functions.values():
        for source in function.streams:
            dead_letters = resources[source.on_failure] if source.on_failure else None
            pollers.append(StreamPoller(runtime, function.name, source, dead_letters))
        pollers += [QueuePoller(runtime, function.name, resources[queue]) for queue in function.queues]
    return pollers


def main() -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    _configure_logging()
    try:
        port, interval, pairs = _settings()
    except ValueError as error:
        print(f"orders_local: {error}", file=sys.stderr)
        return 2
    try:
        template = load_template()
    except TemplateError as error:
        print(f"orders_local: template.yaml: {error}", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        aws = start_local_aws(template)
        stack.callback(aws.stop)
        try:
            # Registry() reads TABLE_NAME and the endpoint, which start_local_aws has just set.
            seed_clients(Registry(), pairs)
        except ValueError as error:
            print(f"orders_local: ORDERS_API_KEYS: {error}", file=sys.stderr)
            return 2
        runtime = FunctionRuntime(template, aws.region)
        resources = create_resources(template)
        recorder = BusRecorder(list(template.of_type("AWS::Events::EventBus")))
        for poller in [recorder, *event_sources(template, runtime, resources)]:
            poller.start()
            stack.callback(poller.stop)
        schedule = ScheduleTimer(runtime, interval)
        schedule.start()
        stack.callback(schedule.stop)
        simulator = SesSimulator(runtime, aws.sent_emails)
        simulator.start()
        stack.callback(simulator.stop)
        try:
            app = LocalRoutes(ApiGateway(template, runtime), schedule, aws.sent_emails, recorder.events)
            server = serve(app, port)
        except OSError as error:
            print(f"orders_local: cannot listen on 127.0.0.1:{port}: {error}", file=sys.stderr)
            return 1
        stack.callback(server.stop)
        # Links in emails point at the API; locally its address is known only now that the port is bound.
        os.environ[BASE_URL_VARIABLE] = server.url
        settings.reload()
        print("\n".join(_banner(server.url, aws.endpoint_url, pairs, schedule)), flush=True)
        print(f"Orders API listening on {server.url}", flush=True)
        # Wake up now and then: a signal that lands on another thread runs its handler only once the
        # main thread runs again, and the pollers' threads make that likely.
        while not stop.wait(0.5):
            pass
        print("Stopping...", flush=True)
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
