"""The template routes and the preview in-process: writes checked in the sandbox, tenants apart, errors."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from orders_api import settings
from orders_api.app import unsubscribe_links

from testkit import OTHER_KEY, Api

DUTCH = {
    "subject": "Je bestelling {{ order.id }}",
    "text": "Hoi {{ customer.name }}\n{% for item in items %}{{ item.name }}\n{% endfor %}",
    "html": "<p>Hoi {{ customer.name }}</p>",
}


@pytest.fixture(autouse=True)
def sender_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_SENDER_EMAIL", "reviews@example.com")
    settings.reload()


def order(api: Api, order_id: str = "O1", **customer: Any) -> None:
    body = {
        "order": {
            "id": order_id,
            "locale": "nl-BE",
            "customer": {"id": "C1", "name": "<b>Jan</b>", **customer},
            "items": [{"id": "SKU-1", "name": "Fiets"}],
        }
    }
    assert api.call("POST", "/v1/orders", body=body).status == 201


def test_write_read_list_and_delete(api: Api) -> None:
    written = api.call("PUT", "/v1/templates/invitation/NL", body=DUTCH)
    assert written.status == 200, written.text
    data = written.json["data"]
    assert (data["kind"], data["locale"], data["built_in"], data["subject"]) == (
        "invitation",
        "nl",
        False,
        DUTCH["subject"],
    )
    assert api.call("GET", "/v1/templates/invitation/nl-BE").json["data"]["subject"] == DUTCH["subject"]
    assert [t["locale"] for t in api.call("GET", "/v1/templates").json["data"]] == ["nl"]
    reminder = api.call("GET", "/v1/templates/reminder/nl").json["data"]
    assert (reminder["built_in"], reminder["locale"], reminder["updated_at"]) == (True, "nl", None)
    assert "Herinnering" in reminder["subject"]
    for _ in range(2):
        deleted = api.call("DELETE", "/v1/templates/invitation/nl")
        assert deleted.status == 200
        assert deleted.json["data"]["built_in"] is True
    assert api.call("GET", "/v1/templates").json["data"] == []


def test_another_client_never_sees_them(api: Api) -> None:
    assert api.call("PUT", "/v1/templates/status/de", body=DUTCH).status == 200
    assert api.call("GET", "/v1/templates", key=OTHER_KEY).json["data"] == []
    assert api.call("GET", "/v1/templates/status/de", key=OTHER_KEY).json["data"]["built_in"] is True
    assert api.call("DELETE", "/v1/templates/status/de", key=OTHER_KEY).status == 200
    assert len(api.call("GET", "/v1/templates").json["data"]) == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/templates/invitation/nl", {**DUTCH, "text": "a\n{{ nope }}"}, "text"),
        ("/v1/templates/invitation/nl", {**DUTCH, "html": "{{ ''.__class__ }}"}, "html"),
        ("/v1/templates/invitation/nl", {**DUTCH, "subject": "x" * 251}, "subject"),
        ("/v1/templates/invitation/nl", {**DUTCH, "extra": 1}, "extra"),
        ("/v1/templates/newsletter/nl", DUTCH, "kind"),
        ("/v1/templates/invitation/dutch!", DUTCH, "locale"),
    ],
)
def test_refusals_name_the_field(api: Api, path: str, body: dict[str, Any], field: str) -> None:
    reply = api.call("PUT", path, body=body)
    assert reply.status == 422, reply.text
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in reply.json["errors"]] == [field]


def test_a_syntax_error_names_part_and_line(api: Api) -> None:
    reply = api.call("PUT", "/v1/templates/reminder/de", body={**DUTCH, "html": "<p>\n{% for %}"})
    assert reply.json["errors"][0]["field"] == "html"
    assert reply.json["errors"][0]["message"].startswith("line 2: ")


def test_a_template_too_large_to_store_is_a_413(api: Api) -> None:
    heavy = {"subject": "s", "text": "\U0001f600" * 50_000, "html": "\U0001f600" * 100_000}
    reply = api.call("PUT", "/v1/templates/invitation/nl", raw_body=json.dumps(heavy, ensure_ascii=False))
    assert reply.status == 413, reply.text
    assert "limit" in reply.json["detail"]


def test_preview_uses_the_shop_template_and_escapes(api: Api) -> None:
    order(api, email="jan@example.com")
    assert api.call("PUT", "/v1/templates/invitation/nl", body=DUTCH).status == 200
    reply = api.call("GET", "/v1/orders/O1/emails/preview")
    assert reply.status == 200, reply.text
    data = reply.json["data"]
    assert (data["subject"], data["to"], data["locale"]) == ("Je bestelling O1", ["jan@example.com"], "nl")
    assert data["html"] == "<p>Hoi &lt;b&gt;Jan&lt;/b&gt;</p>"
    assert data["headers"]["Content-Language"] == "nl"
    status = api.call("GET", "/v1/orders/O1/emails/preview", query={"kind": "status"}).json["data"]
    assert "geplaatst" in status["subject"]
    assert "List-Unsubscribe" not in status["headers"]


def test_a_status_preview_shows_the_latest_queued_status_email(api: Api) -> None:
    order(api, email="jan@example.com")
    for status, note in (("paid", "Betaald, dank je"), ("shipped", "Track & trace 123")):
        body = {"status": status, "note": note, "notify_customer": True}
        assert api.call("PUT", "/v1/orders/O1/status", body=body).status == 200
    api.call("PUT", "/v1/orders/O1/status", body={"status": "delivered"})
    data = api.call("GET", "/v1/orders/O1/emails/preview", query={"kind": "status"}).json["data"]
    assert "verzonden" in data["subject"]
    assert "Track & trace 123" in data["text"]
    assert "Track &amp; trace 123" in data["html"]


def test_a_status_preview_without_a_queued_email_tells_the_current_status_and_its_note(api: Api) -> None:
    order(api, email="jan@example.com")
    api.call("PUT", "/v1/orders/O1/status", body={"status": "processing", "note": "Wordt ingepakt"})
    data = api.call("GET", "/v1/orders/O1/emails/preview", query={"kind": "status"}).json["data"]
    assert "in behandeling" in data["subject"]
    assert "Wordt ingepakt" in data["text"]


def test_preview_error_paths(api: Api) -> None:
    assert api.call("GET", "/v1/orders/none/emails/preview").status == 404
    order(api, "NO-MAIL")
    conflict = api.call("GET", "/v1/orders/NO-MAIL/emails/preview")
    assert conflict.status == 409
    assert "no customer email" in conflict.json["detail"]
    assert api.call("GET", "/v1/orders/NO-MAIL/emails/preview", query={"kind": "x"}).status == 422
    order(api, "O2", email="jan@example.com")
    assert api.call("GET", "/v1/orders/O2/emails/preview", key=OTHER_KEY).status == 404


def test_a_preview_without_any_sender_is_a_409(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    order(api, email="jan@example.com")
    monkeypatch.delenv("DEFAULT_SENDER_EMAIL")
    settings.reload()
    refused = api.call("GET", "/v1/orders/O1/emails/preview")
    assert refused.status == 409, refused.text
    assert "No sender address" in refused.json["detail"]


def test_the_unsubscribe_page_speaks_the_email_s_language(api: Api) -> None:
    for locale, words in (("nl-BE", "Je bent afgemeld"), (None, "You are unsubscribed")):
        token = quote(unsubscribe_links.token("demo", "C1", locale), safe="")
        page = api.call("GET", f"/v1/unsubscribe?token={token}", key=None)
        assert page.status == 200
        assert words in page.text
        assert page.headers["Content-Language"] == ("nl" if locale else "en")
