"""The embedded AWS endpoint: a moto server in this process, shaped by template.yaml.

Running moto in-process lets the outbox read SES's in-memory store directly,
which moto exposes no API for.
"""

from __future__ import annotations

import email.policy
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from email.headerregistry import AddressHeader
from email.message import EmailMessage
from email.parser import Parser
from typing import Any

import boto3
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.server import ThreadedMotoServer
from moto.ses.models import Message, RawMessage, ses_backends
from werkzeug.serving import make_server

from orders_local.template import Template, create_tables

DEFAULT_REGION = "eu-west-1"
SENDER_PARAMETER = "DefaultSenderEmail"
LOCAL_SEND_RATE = "14"
_HTML_TAG = re.compile(r"<[A-Za-z!/][^>]*>")


@dataclass
class LocalAws:
    server: ThreadedMotoServer
    endpoint_url: str
    region: str

    def stop(self) -> None:
        self.server.stop()

    def sent_emails(self) -> list[dict[str, Any]]:
        """Every email SES accepted so far, oldest first, from moto's memory: SES has no API to list them."""
        account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
        sent = list(ses_backends[account][self.region].sent_messages)
        return [_email_of(m) for m in sent if isinstance(m, Message | RawMessage)]


def configure_environment(template: Template, endpoint_url: str) -> str:
    """Points every boto3 client in the process at moto and gives handlers their template environment.

    Variables the template sets from resources that have no local value (a secret's
    ARN) are removed, so the code takes its local fallback instead of a stale value.
    Returns the region.
    """
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL_") or name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            del os.environ[name]
    os.environ["AWS_ENDPOINT_URL"] = endpoint_url
    # A proxy configured for the internet must not intercept calls to the loopback endpoint.
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, [os.environ.get(name), "127.0.0.1"]))
    os.environ.setdefault("AWS_DEFAULT_REGION", DEFAULT_REGION)
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"  # noqa: S105 - moto's dummy credentials
    for function in template.functions.values():
        for name in function.unresolved_environment:
            os.environ.pop(name, None)
    for function in template.functions.values():
        os.environ.update(function.environment)
    os.environ.setdefault("SIGNING_KEY", secrets.token_urlsafe(48))
    # Locally only, webhooks may call http://127.0.0.1 (receivers in tests and on the developer's machine).
    os.environ["WEBHOOKS_ALLOW_LOCAL_HTTP"] = "true"
    os.environ["WEBHOOK_RETRY_SCALE"] = os.environ.get("ORDERS_WEBHOOK_RETRY_SCALE") or "1"
    # moto has no SES GetAccount: the mailer sends at a new production account's rate instead of asking.
    os.environ.setdefault("SES_MAX_SEND_RATE", LOCAL_SEND_RATE)
    return os.environ["AWS_DEFAULT_REGION"]


class OneRequestAtATime(ThreadedMotoServer):
    """moto's server, answering one request at a time: DynamoDB applies a conditional write as one step
    (checked and written at once), moto does not when its threads serve the functions' calls side by side."""

    def _server_entry(self) -> None:
        app = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def alone(environ: Any, start_response: Any) -> Any:
            with lock:
                return list(app(environ, start_response))

        self._server = make_server(
            self._ip_address, self._port, alone, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


def start_local_aws(template: Template) -> LocalAws:
    """Starts moto on a free loopback port and creates the template's tables and sender identity."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = OneRequestAtATime(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    region = configure_environment(template, endpoint_url)
    try:
        create_tables(boto3.client("dynamodb"), template)
        sender = template.parameters.get(SENDER_PARAMETER)
        if sender:
            boto3.client("sesv2").create_email_identity(EmailIdentity=sender)
    except BaseException:
        server.stop()
        raise
    return LocalAws(server=server, endpoint_url=endpoint_url, region=region)


def _email_of(message: Any) -> dict[str, Any]:
    if isinstance(message, RawMessage):
        return _raw_email(message.source, message.destinations, message.raw_data)
    # moto keeps one body of a Simple message: the HTML part when there is one, else the text.
    body = str(message.body)
    is_html = bool(_HTML_TAG.search(body))
    recipients = [str(a) for a in message.destinations.get("ToAddresses", [])]
    return {
        "from": message.source,
        "to": recipients,
        "subject": message.subject,
        "text": None if is_html else body,
        "html": body if is_html else None,
        "headers": {"From": message.source, "To": ", ".join(recipients), "Subject": message.subject},
    }


def _raw_email(source: str | None, destinations: list[str], raw_data: str) -> dict[str, Any]:
    parsed = Parser(policy=email.policy.default).parsestr(raw_data)
    headers: dict[str, str] = {}
    for name, value in parsed.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else str(value)
    to_header = parsed["To"]
    recipients = (
        [str(address) for address in to_header.addresses]
        if isinstance(to_header, AddressHeader)
        else list(dict.fromkeys(destinations))
    )
    return {
        "from": headers.get("From", source),
        "to": recipients,
        "subject": headers.get("Subject"),
        "text": _part(parsed, "plain"),
        "html": _part(parsed, "html"),
        "headers": headers,
    }


def _part(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return None if part is None else str(part.get_content())
