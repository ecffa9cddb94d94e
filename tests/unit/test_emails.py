"""Rendering and MIME of the emails, the review and unsubscribe links, and sending through SES v2."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import example, given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from orders_api import settings
from orders_api.adapters import signing
from orders_api.adapters.ses import send
from orders_api.app import unsubscribe_links as unsubscribe
from orders_api.app.messages import message_for
from orders_api.domain import emails
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.errors import Conflict
from orders_api.domain.models import Customer, Item, Order
from orders_api.domain.template_variables import StatusNote, review_link
from orders_api.settings import LOCAL_BASE_URL

NOW = datetime(2026, 6, 8, 8, tzinfo=UTC)
SENDER = "reviews@example.com"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", SENDER)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://api.example.com/prod/")
    settings.reload()


def invitation(order: Order, settings: ClientSettings, *, reminder: bool) -> emails.Message:
    """The invitation as the mailer composes it: the stack's sender, this customer's unsubscribe link."""
    return message_for(order.public(), settings, "reminder" if reminder else "invitation", None, {})


def item(item_id: str, **fields: Any) -> Item:
    return Item(id=item_id, created_at=NOW, updated_at=NOW, **fields)


def order(**fields: Any) -> Order:
    values: dict[str, Any] = {
        "id": "A/1 #x",
        "customer": Customer(id="C 1", email="jane@example.com", name="Jane"),
        "items": [
            item(
                "SKU-1",
                name="Trail shoe",
                url="https://shop.example/p/1",
                image_url="https://shop.example/i/1.jpg",
            ),
            item("SKU 2/ü", name="Socks"),
            item("SKU-3", name="Gift card", reviewable=False),
            item("SKU-4", name="Old hat", deleted=True),
            item("SKU-5", reviewable=True),
        ],
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Order(**{**values, **fields})


def parsed(message: emails.Message) -> EmailMessage:
    raw = message.mime()
    assert all(byte < 128 for byte in raw), "the MIME must be 7-bit clean"
    result = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(result, EmailMessage)
    return result


def parts(message: emails.Message) -> tuple[str, str]:
    mime = parsed(message)
    text, html = mime.get_body(("plain",)), mime.get_body(("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


SHOP = ClientSettings(
    client_id="demo",
    name="Demo Shop",
    sender_email="shop@example.com",
    sender_name="Démo Shop",
    review_link_template="https://reviews.example.com/{client_id}/{order_id}?item={item_id}",
)


def test_invitation_lists_each_reviewable_item_with_name_link_and_image() -> None:
    text, html = parts(invitation(order(), SHOP, reminder=False))
    for shown in ("Trail shoe", "Socks", "SKU-5", "https://shop.example/p/1"):
        assert shown in text
        assert shown in html
    assert '<img src="https://shop.example/i/1.jpg" alt="Trail shoe"' in html
    assert '<a href="https://shop.example/p/1"' in html
    for hidden in ("Gift card", "Old hat"):
        assert hidden not in text
        assert hidden not in html


def test_review_links_come_from_the_template_url_encoded() -> None:
    text, html = parts(invitation(order(), SHOP, reminder=False))
    expected = "https://reviews.example.com/demo/A%2F1%20%23x?item=SKU%202%2F%C3%BC"
    assert expected in text
    assert expected in html


def test_review_link_placeholders_cannot_be_smuggled_in_by_ids() -> None:
    settings = ClientSettings(client_id="demo", review_link_template="https://r.example/{order_id}/{item_id}")
    assert (
        review_link(settings, "{item_id}", "{client_id}", None)
        == "https://r.example/%7Bitem_id%7D/%7Bclient_id%7D"
    )


def test_without_a_template_the_review_link_is_the_product_page() -> None:
    settings = ClientSettings(client_id="demo")
    assert review_link(settings, "O1", "A", "https://shop.example/hat") == "https://shop.example/hat"
    assert review_link(settings, "O1", "B", None) is None


def test_from_the_client_sender_else_the_stack_default() -> None:
    mime = parsed(invitation(order(), SHOP, reminder=False))
    assert mime["From"].addresses[0].addr_spec == "shop@example.com"
    assert mime["From"].addresses[0].display_name == "Démo Shop"
    assert mime["To"] == "jane@example.com"
    default = parsed(invitation(order(), ClientSettings(client_id="demo"), reminder=False))
    assert default["From"] == SENDER


def test_a_client_sender_needs_no_stack_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEFAULT_SENDER_EMAIL")
    settings.reload()
    assert (
        parsed(invitation(order(), SHOP, reminder=False))["From"].addresses[0].addr_spec == "shop@example.com"
    )
    with pytest.raises(Conflict, match="No sender address"):
        invitation(order(), ClientSettings(client_id="demo"), reminder=False)


def test_unsubscribe_link_and_one_click_headers() -> None:
    message = invitation(order(), SHOP, reminder=False)
    mime = parsed(message)
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = mime["List-Unsubscribe"]
    assert header.startswith("<https://api.example.com/prod/v1/unsubscribe?token=")
    assert header.endswith(">")
    link = header[1:-1]
    text, html = parts(message)
    assert link in text
    assert link.replace("&", "&amp;") in html
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert unsubscribe.customer_of(token) == unsubscribe.Unsubscribed("demo", "C 1")


def test_names_are_escaped_in_html_but_not_in_text() -> None:
    hostile = order(
        customer=Customer(id="C1", email="jane@example.com", name="<b>Jane</b>"),
        items=[item("X", name='<script>alert("x")</script>', url='https://shop.example/p?a=1&b="2"')],
    )
    text, html = parts(invitation(hostile, SHOP, reminder=False))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;Jane&lt;/b&gt;" in html
    assert 'href="https://shop.example/p?a=1&amp;b=&#34;2&#34;"' in html
    assert '<script>alert("x")</script>' in text


def test_line_breaks_never_reach_a_header() -> None:
    message = invitation(
        order(id="O1\r\nBcc: evil@example.com"), ClientSettings(client_id="d"), reminder=False
    )
    mime = parsed(message)
    assert mime["Bcc"] is None
    assert mime["Subject"] == "How do you like your order O1 Bcc: evil@example.com?"


def test_reminder_reads_as_a_reminder() -> None:
    first = invitation(order(), SHOP, reminder=False)
    again = invitation(order(), SHOP, reminder=True)
    assert first.subject == "How do you like your order from Démo Shop?"
    assert again.subject == "Reminder: how do you like your order from Démo Shop?"
    assert parts(first)[0] != parts(again)[0]


def test_status_email_tells_status_and_note_and_has_no_unsubscribe() -> None:
    change = StatusNote("shipped", "Tracking <#ABC>\nsecond line")
    message = message_for(order().public(), SHOP, "status", change, {})
    mime = parsed(message)
    assert mime["Subject"] == "Your order A/1 #x is now shipped"
    assert mime["List-Unsubscribe"] is None
    text, html = parts(message)
    assert "is now shipped" in text
    assert "Tracking <#ABC>\nsecond line" in text
    assert "Tracking &lt;#ABC&gt;" in html


def test_no_address_no_email() -> None:
    with pytest.raises(ValueError, match="no email"):
        invitation(order(customer=Customer(id="C1")), SHOP, reminder=False)


# --- tokens -----------------------------------------------------------------------------------


def test_unsubscribe_tokens_are_signed_and_bound() -> None:
    token = unsubscribe.token("demo", "C1")
    assert unsubscribe.customer_of(token) == unsubscribe.Unsubscribed("demo", "C1")
    assert unsubscribe.customer_of(unsubscribe.token("demo", "C1", "nl-BE")) == unsubscribe.Unsubscribed(
        "demo", "C1", "nl-BE"
    )
    body, mac = token.split(".")
    forged = signing.sign("cursor", {"c": "demo", "u": "C1"})
    other = unsubscribe.token("other", "C1").split(".")[0]
    for bad in (None, "", "x", f"{body}.{mac[:-2]}", f"{other}.{mac}", forged, token + "x"):
        assert unsubscribe.customer_of(bad) is None, bad


@pytest.mark.parametrize(
    "payload", [{"c": "demo"}, {"c": 1, "u": "C1"}, {"c": "demo", "u": ""}, {"c": "bad#id", "u": "C1"}]
)
def test_odd_payloads_are_refused(payload: dict[str, Any]) -> None:
    assert unsubscribe.customer_of(signing.sign(unsubscribe.PURPOSE, payload)) is None


def test_the_link_falls_back_to_the_local_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PUBLIC_BASE_URL")
    settings.reload()
    assert unsubscribe.link("demo", "C1").startswith(LOCAL_BASE_URL + "/v1/unsubscribe?token=")


# --- sending ------------------------------------------------------------------------------------


@pytest.fixture
def ses() -> Iterator[None]:
    with mock_aws():
        boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
        yield


def test_send_goes_out_as_raw_mime_through_ses_v2(ses: None) -> None:
    message = invitation(order(), ClientSettings(client_id="demo"), reminder=False)
    message_id = send(message)
    [sent] = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    assert sent.id == message_id
    received = email.message_from_string(sent.raw_data, policy=email.policy.default)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["List-Unsubscribe"] == f"<{unsubscribe.link('demo', 'C 1')}>"
    assert received.get_body(("html",)) is not None


def test_an_unverified_sender_is_refused(ses: None) -> None:
    message = invitation(order(), SHOP, reminder=False)
    with pytest.raises(ClientError) as raised:
        send(message)
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def built_by_the_email_package(message: emails.Message) -> EmailMessage:
    """The same message as EmailMessage builds it: what the written-out MIME must read back as."""
    reference = EmailMessage(policy=email.policy.default.clone(cte_type="7bit"))
    reference["From"] = message.sender
    reference["To"] = message.recipient
    reference["Subject"] = message.subject
    reference.set_content(message.text)
    reference.add_alternative(message.html, subtype="html")
    for name, value in message.headers.items():
        reference[name] = value
    result = email.message_from_bytes(
        reference.as_bytes(policy=emails.HEADER_POLICY), policy=email.policy.default
    )
    assert isinstance(result, EmailMessage)
    return result


def read_back(mime: EmailMessage) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The headers but the boundary, and each part's type and decoded content."""
    headers = [(name, str(value)) for name, value in mime.items() if name != "Content-Type"]
    return [("Content-Type", mime.get_content_type()), *headers], [
        (part.get_content_type(), part.get_content()) for part in mime.iter_parts()
    ]


header_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=120)


@given(
    name=header_text,
    subject=header_text,
    text=st.text(st.characters(exclude_categories=("Cs",)), max_size=400),
    html=st.text(st.characters(exclude_categories=("Cs",)), max_size=400),
    long_url=st.booleans(),
)
@example(
    name="Démo, Shop", subject="=?utf-8?q?hi?= there", text="ü" + "x" * 100, html="<p>x</p>", long_url=True
)
@settings_for_hypothesis(max_examples=200, deadline=None)
def test_the_mime_reads_back_as_the_email_package_would_write_it(
    name: str, subject: str, text: str, html: str, long_url: bool
) -> None:
    url = "https://api.example.com/prod/v1/unsubscribe?token=" + "t" * (900 if long_url else 40)
    message = emails.Message(
        sender=Address(display_name=name.strip(), addr_spec=SENDER),
        recipient="jane@example.com",
        subject=subject,
        text=text,
        html=html,
        headers={"Content-Language": "de", "List-Unsubscribe": f"<{url}>", "X-Client": "demo"},
    )
    assert read_back(parsed(message)) == read_back(built_by_the_email_package(message))


@pytest.mark.parametrize("value", ["a\nb", "a\rb"])
def test_a_header_value_with_a_line_break_is_refused(value: str) -> None:
    message = emails.Message(
        sender=Address(addr_spec=SENDER), recipient="jane@example.com", subject=value, text="", html=""
    )
    with pytest.raises(ValueError, match="line break"):
        message.mime()
