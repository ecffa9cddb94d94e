"""HTTP on a socket for `make run`: each request read off the wire, handed to the app, its answer written back.

The app decides everything about a request; this module only frames HTTP/1.1
(keep-alive, Content-Length, HEAD) and refuses, through the app's gateway
responses, what it cannot read: a chunked body, a bad length, a body too large.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast

from orders_local.apigateway import Request, Response

MAX_BODY_BYTES = 10 * 1024 * 1024
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection"})

logger = logging.getLogger("orders_local.server")


class App(Protocol):
    def handle(self, request: Request) -> Response: ...

    def refuse(self, request: Request, kind: str, status: int | None = None) -> Response:
        """The gateway response of type `kind` (optionally with another status) for an unread request."""
        ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Idle keep-alive connections must not hold up shutdown.
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, _RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early is routine, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "orders-local"
    timeout = 120

    def _serve(self) -> None:
        app = cast(_Server, self.server).app
        request = Request(
            method=self.command,
            target=self.path,
            headers=list(self.headers.items()),
            body=b"",
            source_ip=str(self.client_address[0]),
        )
        try:
            response = self._respond(app, request)
        except Exception:
            logger.exception("the app failed on %s %s", self.command, self.path)
            response = app.refuse(request, "DEFAULT_5XX", 500)
        self._send(response)

    def _respond(self, app: App, request: Request) -> Response:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return app.refuse(request, "DEFAULT_4XX", 411)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return app.refuse(request, "DEFAULT_4XX", 400)
        if length > MAX_BODY_BYTES:
            self._discard(length)
            return app.refuse(request, "REQUEST_TOO_LARGE")
        return app.handle(replace(request, body=self.rfile.read(length)))

    def _discard(self, length: int) -> None:
        """Reads a refused body away, so the client, still sending it, gets to read the answer."""
        while length > 0:
            chunk = self.rfile.read(min(length, 1024 * 1024))
            if not chunk:
                self.close_connection = True
                return
            length -= len(chunk)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in _HOP_BY_HOP:
                # What goes on the wire is UTF-8; http.server writes header lines as Latin-1.
                self.send_header(name, value.encode("utf-8").decode("latin-1"))
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Serves every method (do_GET, do_TRACE, ...): routing answers an unknown one with 405 or 404, not 501."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.info('"%s %s" %s', self.command, self.path, code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.warning("%s: %s", self.address_string(), format % args)


@dataclass
class LocalServer:
    server: _Server
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def serve(app: App, port: int, host: str = "127.0.0.1") -> LocalServer:
    """Binds before returning, so the caller can announce the real port (0 picks a free one)."""
    server = _Server((host, port), app)
    thread = threading.Thread(target=server.serve_forever, name="orders-local-server", daemon=True)
    thread.start()
    return LocalServer(server, thread)
