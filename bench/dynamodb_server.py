"""moto's DynamoDB in a process of its own, answering one request at a time over HTTP.

In AWS, DynamoDB's work is not done by the mailer's CPU; moto in the mailer's own process is,
under the same interpreter lock, and there it takes more of the process than the mailer's own
code. Here moto answers from another process, as DynamoDB does from another machine. Requests
are applied one at a time, as DynamoDB applies each one whole (a conditional write checks and
writes at once); connections are kept alive, as botocore's pool keeps them. GET /_cpu answers
the CPU seconds the server has used: what the work costs DynamoDB, not the mailer.

    python -m bench.dynamodb_server PORT REGION
"""

from __future__ import annotations

import contextlib
import gc
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.awsrequest import AWSPreparedRequest
from botocore.compat import HTTPHeaders
from moto import mock_aws
from moto.backends import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.request import normalize_request
from orders_api.adapters import aws
from orders_local.template import create_tables
from werkzeug.exceptions import HTTPException

from testkit.functions import TEMPLATE, environment_variable

Answer = Callable[[HTTPHeaders, bytes], tuple[int, dict[str, str], bytes]]
CPU_PATH = "/_cpu"
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB"
STARTUP_S = 30.0


def dynamodb(region: str) -> Answer:
    """moto's DynamoDB request handler, as moto's mock calls it in-process, one request at a time. The
    handler is found once, not matched against every service's URLs on each request."""
    lock = threading.Lock()
    url = f"https://dynamodb.{region}.amazonaws.com/"
    urls = get_backend("dynamodb")[DEFAULT_ACCOUNT_ID]["us-east-1"].urls
    handle = next(method for pattern, method in urls.items() if re.compile(pattern).match(url))

    def answer(headers: HTTPHeaders, body: bytes) -> tuple[int, dict[str, str], bytes]:
        request = normalize_request(AWSPreparedRequest("POST", url, headers, body, stream_output=False))
        with lock:
            try:
                status, answer_headers, answer_body = handle(request, request.raw_url, request.headers)
            except HTTPException as error:
                status, answer_headers, answer_body = (
                    error.code or 500,
                    dict(error.get_headers()),
                    error.get_body(),
                )
        return status, answer_headers, answer_body.encode() if isinstance(answer_body, str) else answer_body

    return answer


class DynamoDBHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with connections kept alive and Nagle's delay off, as botocore's pool expects."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    answer: Answer

    def log_message(self, *_: Any) -> None:
        """A line per request would cost the server more than some requests take."""

    def do_GET(self) -> None:
        if self.path != CPU_PATH:
            self._send(404, {}, b"")
        else:
            self._send(200, {"Content-Type": "text/plain"}, str(time.process_time()).encode())

    def do_POST(self) -> None:
        headers = HTTPHeaders()
        for name, value in self.headers.items():
            headers[name] = value
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(*type(self).answer(headers, body))

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main() -> None:
    port, region = int(sys.argv[1]), sys.argv[2]
    # moto's tables live as long as the server and make no cyclic garbage worth collecting.
    gc.disable()
    with mock_aws():
        DynamoDBHandler.answer = staticmethod(dynamodb(region))
        ThreadingHTTPServer(("127.0.0.1", port), DynamoDBHandler).serve_forever()


class Server:
    def __init__(self, url: str) -> None:
        self.url = url

    def cpu_seconds(self) -> float:
        with urllib.request.urlopen(self.url + CPU_PATH, timeout=5) as answer:  # noqa: S310 - our own server
            return float(answer.read())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    """The server with the template's tables; the functions' DynamoDB client reaches it inside the block.

    Inside moto's mock (bench.scenarios.moto_session), which passes requests to this address through.
    """
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.dynamodb_server", str(port), aws.dynamodb().meta.region_name],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("moto's DynamoDB server did not start")
            time.sleep(0.1)
        with environment_variable(ENDPOINT_VARIABLE, url):
            aws.dynamodb.cache_clear()
            try:
                create_tables(aws.dynamodb(), TEMPLATE)
                yield Server(url)
            finally:
                aws.dynamodb.cache_clear()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
