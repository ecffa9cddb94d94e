"""What put_template and preview_email make without pydantic equals what the models made.

The template's answer and the preview's are the models' dumps, the settings an email reads are the
client's settings, and the items a template lists are the ones the invitation rules ask about.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.headerregistry import Address
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.email_models import EmailPreviewEnvelope, TemplateEnvelope
from orders_api.domain.email_settings import StoredEmailSettings, stored_email_settings
from orders_api.domain.emails import Message
from orders_api.domain.invitations import items_to_review
from orders_api.domain.models import Customer, Item, Order
from orders_api.domain.serialization import dumps
from orders_api.domain.template_sets import TemplateSet, TemplateView
from orders_api.domain.template_variables import items_to_review as shown_items_to_review

NOW = datetime(2026, 6, 8, 8, tzinfo=UTC)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
optional_texts = st.none() | texts


@given(
    kind=st.sampled_from(["invitation", "reminder", "status"]),
    locale=texts,
    parts=st.tuples(texts, texts, texts),
    built_in=st.booleans(),
    updated_at=optional_texts,
)
def test_a_template_is_shown_as_the_model_dumps_it(
    kind: Any, locale: str, parts: tuple[str, str, str], built_in: bool, updated_at: str | None
) -> None:
    shown = {"data": TemplateView(kind, locale, TemplateSet(*parts), built_in, updated_at).shown()}
    assert dumps(shown) == TemplateEnvelope.model_validate(shown).model_dump_json(by_alias=True)


@given(
    name=st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30),
    subject=texts,
    body=texts,
    headers=st.dictionaries(texts, texts, max_size=3),
    locale=texts,
)
def test_a_preview_is_shown_as_the_model_dumps_it(
    name: str, subject: str, body: str, headers: dict[str, str], locale: str
) -> None:
    message = Message(
        sender=Address(display_name=name.strip(), addr_spec="shop@example.com"),
        recipient="jane@example.com",
        subject=subject,
        text=body,
        html=f"<p>{body}</p>",
        headers=headers,
        locale=locale,
    )
    shown = {"data": message.shown()}
    assert dumps(shown) == EmailPreviewEnvelope.model_validate(shown).model_dump_json(by_alias=True)


SETTINGS = [
    ClientSettings(client_id="demo"),
    ClientSettings(
        client_id="acme",
        name="Acme",
        sender_email="Reviews@Acme.example",
        sender_name="Acme Shoes",
        review_link_template="https://r.example/{order_id}/{item_id}",
        shop_review_link_template="https://r.example/{client_id}/shop",
        default_locale="nl_be",
        time_zone="Europe/Amsterdam",
        retention_days=30,
    ),
]


def test_the_settings_an_email_reads_are_the_client_s() -> None:
    """As the authorizer hands them on: the stored settings, written whole or only what was set."""
    for client in SETTINGS:
        for written in (client.model_dump(mode="json"), client.model_dump(mode="json", exclude_unset=True)):
            read = stored_email_settings(client.client_id, json.dumps(written))
            assert read == StoredEmailSettings(
                *(getattr(client, name) for name in StoredEmailSettings._fields)
            )
    assert stored_email_settings("demo", None) == StoredEmailSettings("demo")


def test_the_client_id_is_the_caller_s_not_the_stored_one() -> None:
    assert stored_email_settings("demo", json.dumps({"client_id": "other"})).client_id == "demo"


flags = st.none() | st.booleans()


@given(st.lists(st.tuples(optional_texts, flags, st.booleans(), st.booleans()), max_size=8))
@settings(max_examples=200)
def test_a_template_lists_the_items_the_invitation_asks_about(
    items: list[tuple[str | None, bool | None, bool, bool]],
) -> None:
    order = Order(
        id="O1",
        customer=Customer(id="C1"),
        items=[
            Item(
                id=f"I{n}",
                name=name,
                reviewable=reviewable,
                deleted=deleted,
                reviewed=reviewed,
                created_at=NOW,
                updated_at=NOW,
            )
            for n, (name, reviewable, deleted, reviewed) in enumerate(items)
        ],
        created_at=NOW,
        updated_at=NOW,
    )
    expected = [item.id for item in items_to_review(order)]
    assert [item["id"] for item in shown_items_to_review(order.public())] == expected
