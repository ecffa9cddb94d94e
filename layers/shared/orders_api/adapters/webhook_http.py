"""Calls to shops' webhook endpoints, safe against server-side request forgery.

The host is resolved on every call and every address it resolves to is checked; the connection
then goes to the checked address (TLS still verifies the host name), so a DNS answer that changes
between the check and the connect cannot point the call inside the network. Redirects are never
followed: http.client does not follow them.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from functools import cache
from urllib.parse import urlsplit

from orders_api import settings
from orders_api.domain.webhooks import UrlRefused, check_url, refusal

TIMEOUT = 10.0


@cache
def tls() -> ssl.SSLContext:
    """Loading the CA certificates takes about 25 ms: the webhook routes, which only check URLs, never do."""
    return ssl.create_default_context()


def checked_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) of an acceptable URL; raises UrlRefused."""
    allow_local = settings.current().webhooks_allow_local_http
    scheme, host, port = check_url(url, allow_local_http=allow_local)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UrlRefused(f"the host {host} does not resolve") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise UrlRefused(f"the host {host} does not resolve")
    # Locally, 127.0.0.1 written as such: not a name or another notation that leads there.
    literal_local = allow_local and host == "127.0.0.1"
    for address in addresses:
        reason = refusal(address, allow_local_http=literal_local)
        if reason is not None:
            raise UrlRefused(reason)
    return scheme, host, port, addresses[0]


class _PinnedHttps(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=tls())
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = tls().wrap_socket(raw, server_hostname=self.host)


class _PinnedHttp(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """The endpoint's status code; raises UrlRefused or OSError (timeouts included) when there is none."""
    scheme, host, port, address = checked_address(url)
    connection_type = _PinnedHttps if scheme == "https" else _PinnedHttp
    connection = connection_type(host, port, address)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        response.read(65536)
        return response.status
    except http.client.HTTPException as error:
        raise OSError(f"bad HTTP answer: {type(error).__name__}") from None
    finally:
        connection.close()
