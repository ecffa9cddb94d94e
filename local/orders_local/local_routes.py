"""The local-only routes under /_local/, beside the API: fire the schedule now, read the emails sent
and the events put on the bus, force a fault on the next API request.

They are not part of the deployed API, so they sit in front of the API Gateway
emulator rather than in it; every other request goes to the gateway unchanged.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from orders_local.apigateway import ApiGateway, Request, Response, with_request_id
from orders_local.runtime import ScheduleTimer

LOCAL_PREFIX = "/_local/"

logger = logging.getLogger("orders_local.local_routes")


class LocalRoutes:
    """The API behind `gateway`, and the /_local/ routes in front of it."""

    def __init__(
        self,
        gateway: ApiGateway,
        schedule: ScheduleTimer,
        outbox: Callable[[], list[dict[str, Any]]],
        events: Callable[[], list[dict[str, Any]]] = list,
    ) -> None:
        self.gateway = gateway
        self.schedule = schedule
        self.outbox = outbox
        self.events = events

    def handle(self, request: Request) -> Response:
        if not request.path.startswith(LOCAL_PREFIX):
            return self.gateway.handle(request)
        return with_request_id(self._local(request), request, str(uuid.uuid4()))

    def refuse(self, request: Request, kind: str, status: int | None = None) -> Response:
        return self.gateway.refuse(request, kind, status)

    def _local(self, request: Request) -> Response:
        path = request.path
        if path == "/_local/schedule/run":
            if request.method != "POST":
                return _problem(405, "Method not allowed", "Use POST.", path, [("Allow", "POST")])
            return self._run_schedule(request)
        if path == "/_local/outbox":
            if request.method not in ("GET", "HEAD"):
                return _problem(405, "Method not allowed", "Use GET.", path, [("Allow", "GET, HEAD")])
            return _json(200, {"data": self.outbox()})
        if path == "/_local/events":
            if request.method not in ("GET", "HEAD"):
                return _problem(405, "Method not allowed", "Use GET.", path, [("Allow", "GET, HEAD")])
            return _json(200, {"data": self.events()})
        if path == "/_local/faults":
            return self._faults(request)
        return _problem(404, "Not found", f"No local route {path}.", path)

    def _faults(self, request: Request) -> Response:
        faults = self.gateway.runtime.faults
        if request.method == "POST":
            try:
                faults.arm(_fail_write(request.body))
            except ValueError as error:
                return _problem(400, "Bad request", str(error), request.path)
        elif request.method == "DELETE":
            faults.disarm()
        elif request.method not in ("GET", "HEAD"):
            allowed = [("Allow", "GET, HEAD, POST, DELETE")]
            return _problem(405, "Method not allowed", "Use GET, POST or DELETE.", request.path, allowed)
        return _json(200, {"data": {"fail_write": faults.fail_write}})

    def _run_schedule(self, request: Request) -> Response:
        try:
            moment = _schedule_time(request.body)
        except ValueError as error:
            return _problem(400, "Bad request", str(error), request.path)
        function = self.schedule.function
        if function is None:
            return _problem(404, "Not found", "template.yaml schedules no function yet.", request.path)
        try:
            result = self.schedule.run(moment)
        except Exception as error:
            logger.exception("%s raised", function.name)
            detail = f"{function.name} raised {type(error).__name__}: {error}"
            return _problem(500, "Scheduled run failed", detail, request.path)
        return _json(200, {"data": result})


def _json(
    status: int,
    payload: Any,
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json; charset=utf-8",
) -> Response:
    body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    return Response(status, [("Content-Type", content_type), *(headers or [])], body)


def _problem(
    status: int, title: str, detail: str, instance: str, headers: list[tuple[str, str]] | None = None
) -> Response:
    payload = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    return _json(status, payload, headers, "application/problem+json; charset=utf-8")


def _fail_write(body: bytes) -> int:
    """Which DynamoDB write of the next API request fails: {"fail_write": N}, N from 1."""
    try:
        payload = json.loads(body or b"null")
    except ValueError:
        payload = None
    number = payload.get("fail_write") if isinstance(payload, dict) else None
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ValueError(
            'Send {"fail_write": N}: the next API request fails at its Nth DynamoDB write, N from 1.'
        )
    return number


def _schedule_time(body: bytes) -> datetime:
    """The moment a local schedule run pretends to be; a time without an offset is UTC."""
    if not body.strip():
        return datetime.now(UTC)
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise ValueError('Send a JSON object: {"time": "<ISO-8601>"}, or no body for now.')
    raw = payload.get("time")
    if raw is None:
        return datetime.now(UTC)
    if not isinstance(raw, str):
        raise ValueError("time must be an ISO-8601 string.")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"time {raw!r} is not an ISO-8601 date and time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
