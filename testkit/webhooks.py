"""A webhook endpoint on 127.0.0.1 for the local runtime to deliver to, as a shop's would be."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Receiver(http.server.ThreadingHTTPServer):
    """Keeps every POST and when the first of each webhook-id came; answers 500 to the first `failures`."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[tuple[dict[str, str], str]] = []
        self.first_arrival: dict[str, float] = {}
        self.failures = failures
        self.answered: dict[str, int] = {}
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        message_id = self.headers["webhook-id"]
        self.server.first_arrival.setdefault(message_id, time.monotonic())
        seen = self.server.answered[message_id] = self.server.answered.get(message_id, 0) + 1
        self.server.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(500 if seen <= self.server.failures else 204)
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@contextmanager
def receiving(failures: int = 0) -> Iterator[Receiver]:
    """A receiver serving on a thread of its own until the block ends."""
    receiver = Receiver(failures)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        yield receiver
    finally:
        receiver.shutdown()
        receiver.server_close()
