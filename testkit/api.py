"""The API called in-process through the API Gateway emulator that `make run` serves over HTTP."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from orders_api.app import client_admin
from orders_api.domain.client_settings import ClientSettings
from orders_api.store.registry import Registry
from orders_local.apigateway import ApiGateway, Request

from testkit.functions import FUNCTIONS, TEMPLATE

DEMO_KEY = "demo-key"
OTHER_KEY = "other-key"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str
    # What the gateway invoked: the route's function and its proxy event, the authorizer's event (None when not).
    function: str | None = field(default=None, repr=False)
    event: dict[str, Any] | None = field(default=None, repr=False)
    authorizer_event: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class Api:
    """One client's view of the API: each call is an HTTP request handed to the API Gateway emulator."""

    def __init__(self) -> None:
        self.gateway = ApiGateway(TEMPLATE, FUNCTIONS)
        self.calls: list[Reply] = []

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw_body: str | None = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        key: str | None = DEMO_KEY,
    ) -> Reply:
        """`query` is added to any query string in `path`; a name in both takes the value in `query`."""
        sent = {"Content-Type": "application/json"} if body is not None or raw_body is not None else {}
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"
        sent.update(headers or {})
        text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else "")
        target = path
        if query:
            base, _, given = path.partition("?")
            target = f"{base}?{urlencode({**dict(parse_qsl(given, keep_blank_values=True)), **query})}"
        FUNCTIONS.invoked.clear()
        response = self.gateway.handle(
            Request(method, target, list(sent.items()), text.encode("utf-8"), source_ip="127.0.0.1")
        )
        merged: dict[str, str] = {}
        for name, value in response.headers:
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        reply = Reply(response.status, merged, response.body.decode("utf-8"))
        for function, event in FUNCTIONS.invoked:
            if function in FUNCTIONS.authorizers:
                reply.authorizer_event = event
            else:
                reply.function, reply.event = function, event
        self.calls.append(reply)
        return reply


def demo_api(registry: Registry) -> Api:
    """Two clients, `demo` and `other`, each with its key, and an Api that calls as `demo`."""
    for client_id, key in (("demo", DEMO_KEY), ("other", OTHER_KEY)):
        client_admin.create_client(registry, ClientSettings(client_id=client_id))
        client_admin.issue_key(registry, client_id, key)
    return Api()
