"""The local runtime as users run it: `python -m orders_local` in a subprocess, reached over real HTTP.

The integration tests start one per pytest-xdist worker; the benchmarks start one to time deliveries.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
REGION = "eu-west-1"
KEYS = {"demo": "local-dev-key", "other": "other-key"}
START_TIMEOUT = 60.0
# After "Stopped." the interpreter still tears down moto's in-memory AWS: 3 s idle, over 10 s on a busy machine.
STOP_TIMEOUT = 30.0
_LISTENING = re.compile(r"listening on (http://\S+)")
_AWS = re.compile(r"^\s*AWS\s+(http://\S+)")
# Straight to loopback, whatever proxy the environment configures.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Reply(NamedTuple):
    status: int
    headers: Message
    body: Any


@dataclass(frozen=True)
class ApiClient:
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = {**self.headers, **(headers or {})}
        data: bytes | None
        if body is None or isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode("utf-8")
        else:
            data = json.dumps(body).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        # The local runtime's own http:// address, never a URL from outside.
        request = urllib.request.Request(self.base_url + path, data=data, headers=sent, method=method)  # noqa: S310
        try:
            with _OPENER.open(request, timeout=30) as response:
                status, reply_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, raw = error.code, error.headers, error.read()
        text = raw.decode("utf-8")
        is_json = "json" in (reply_headers.get("Content-Type") or "") and text
        return Reply(status, reply_headers, json.loads(text) if is_json else text)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, body, headers)

    def put(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        return self.request("PUT", path, body, headers)

    def patch(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        return self.request("PATCH", path, body, headers)

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("DELETE", path, headers=headers)


@dataclass
class LocalApi:
    base_url: str
    aws_endpoint: str
    region: str
    keys: dict[str, str]
    process: subprocess.Popen[str]
    output: list[str]

    def client(self, key: str | None = None) -> ApiClient:
        """A client sending `Authorization: Bearer <key>`, or no credentials at all."""
        return ApiClient(self.base_url, {"Authorization": f"Bearer {key}"} if key else {})

    def stop(self) -> int:
        """Sends SIGTERM and returns the exit status; fails when the runtime does not stop in time."""
        self.process.terminate()
        return self.wait()

    def wait(self) -> int:
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(
                f"the local runtime did not stop within {STOP_TIMEOUT} s:\n{self.log()}"
            ) from None

    def log(self) -> str:
        return "".join(self.output[-200:])


def start_local_api() -> LocalApi:
    env = {
        **os.environ,
        "ORDERS_PORT": "0",
        "ORDERS_API_KEYS": ",".join(f"{client}:{key}" for client, key in KEYS.items()),
        "ORDERS_MAILER_INTERVAL": "3600",
        "ORDERS_WEBHOOK_RETRY_SCALE": "0.01",
        "AWS_DEFAULT_REGION": REGION,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "orders_local"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    output: list[str] = []
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        """Keeps reading, so a full pipe never blocks the runtime's logging."""
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    api = LocalApi(
        base_url="", aws_endpoint="", region=REGION, keys=dict(KEYS), process=process, output=output
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            process.kill()
            process.wait()
            raise RuntimeError(f"the local runtime did not start within {START_TIMEOUT} s:\n{api.log()}")
        if found := _AWS.match(line):
            api.aws_endpoint = found.group(1)
        if found := _LISTENING.search(line):
            api.base_url = found.group(1)
            return api
