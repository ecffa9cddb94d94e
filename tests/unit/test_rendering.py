"""The shops' templates in the sandbox, the built-in ones per language, and the fallback at send time."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from orders_api.domain import emails
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.locales import languages
from orders_api.domain.models import Customer, Item, Order
from orders_api.domain.rendering import check
from orders_api.domain.template_sets import TemplateSet
from orders_api.domain.template_variables import StatusNote, sample_variables

NOW = datetime(2026, 4, 2, 8, tzinfo=UTC)
SNAPSHOTS = Path(__file__).with_name("email_snapshots")
SHOP = ClientSettings(
    client_id="acme",
    sender_name="Acme Shoes",
    review_link_template="https://reviews.example.com/{client_id}/{order_id}?item={item_id}",
    shop_review_link_template="https://reviews.example.com/{client_id}/shop?order={order_id}",
)


def order(locale: str | None = None, name: str = "Jane") -> Order:
    return Order(
        id="1001",
        locale=locale,
        placed_at=NOW,
        time_zone="Europe/Amsterdam",
        customer=Customer(id="C7", email="jane@example.com", name=name),
        items=[
            Item(
                id="SKU-1", name="Trail shoe", url="https://shop.example/p/1", created_at=NOW, updated_at=NOW
            ),
            Item(id="SKU-2", name="Socks", created_at=NOW, updated_at=NOW),
        ],
        created_at=NOW,
        updated_at=NOW,
    )


def compose(kind: str, order: Order, own: dict[str, TemplateSet] | None = None) -> emails.Message:
    status = StatusNote("shipped", "Tracking ABC") if kind == "status" else None
    return emails.compose(
        order.public(),
        SHOP,
        kind,
        own or {},
        unsubscribe_url=None if status else "https://api.example/v1/unsubscribe?token=T",
        default_sender="reviews@example.com",
        status=status,
    )


def faults(
    source: str, kind: str = "invitation", subject: str | None = None
) -> list[tuple[str, int | None, str]]:
    template = TemplateSet(source if subject is None else subject, source, source)
    found = check(template, sample_variables(SHOP, kind), kind=kind)
    return [(fault.part, fault.line, fault.message) for fault in found]


@pytest.mark.parametrize("kind", ["invitation", "reminder", "status"])
@pytest.mark.parametrize("tag", sorted(languages()))
def test_built_in_snapshot(tag: str, kind: str) -> None:
    """Reviewed once by a speaker of the language; regenerate with UPDATE_EMAIL_SNAPSHOTS=1 and review the diff."""
    message = compose(kind, order(tag))
    assert message.locale == tag
    assert message.headers["Content-Language"] == tag
    assert f'<html lang="{tag}">' in message.html
    rendered = f"Subject: {message.subject}\n\n{message.text}\n----- html -----\n{message.html}"
    snapshot = SNAPSHOTS / tag / f"{kind}.txt"
    if os.environ.get("UPDATE_EMAIL_SNAPSHOTS"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert rendered == snapshot.read_text(encoding="utf-8")


def test_dates_are_written_the_language_s_way() -> None:
    assert "2. April 2026" in compose("invitation", order("de")).text
    assert "2 de abril de 2026" in compose("invitation", order("es")).text
    assert "2 april 2026" in compose("invitation", order("nl-BE")).text


def test_the_shop_review_is_asked_only_with_a_shop_review_link() -> None:
    with_link = compose("invitation", order("en"))
    assert "https://reviews.example.com/acme/shop?order=1001" in with_link.text
    without = emails.compose(
        order("en").public(),
        ClientSettings(client_id="acme"),
        "invitation",
        {},
        unsubscribe_url="https://u.example/x",
        default_sender="reviews@example.com",
    )
    assert "Review the shop" not in without.text


def test_a_customer_name_is_escaped_in_the_html_part() -> None:
    own = {
        "en": TemplateSet("Hi {{ customer.name }}", "Hi {{ customer.name }}", "<p>Hi {{ customer.name }}</p>")
    }
    message = compose("invitation", order("en", name="<script>alert(1)</script>"), own)
    assert message.html == "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert "<script>" not in compose("invitation", order("de", name="<script>alert(1)</script>")).html


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{% extends 'https://evil.example/t' %}",
        "{% for a in items %}{% for b in items %}{% for c in items %}{{ '' }}{% endfor %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}x{% endfor %}",
        "{{ 'x' * 100000000 }}",
        "{{ 'x'.ljust(100000000) }}",
        "{{ '{:>99999999}'.format(1) }}",
        "{{ '%99999999s' % 'x' }}",
    ],
)
def test_hostile_templates_are_refused_at_write_time(hostile: str) -> None:
    found = faults(hostile)
    assert [part for part, _, _ in found] == ["subject", "text", "html"], found


def test_a_refusal_names_the_part_and_the_line() -> None:
    assert faults("Hello\n{{ shop.name }}\n{{ nope }}")[0][:2] == ("subject", 3)
    part, line, message = faults("one\n{% if %}")[0]
    assert (part, line) == ("subject", 2)
    assert "expression" in message
    assert faults("{{ status_label }} {{ note }}", kind="status") == []
    assert faults("{{ status }}", kind="invitation")[0][2] == "'status' is undefined"


def test_every_documented_variable_renders() -> None:
    every = (
        "{{ locale }} {{ shop.name }} {{ shop.review_url }} {{ customer.name }} {{ order.id }} "
        "{{ order.placed_at }} {{ order.locale }} {{ unsubscribe_url }}"
        "{% for i in items %}{{ i.name }}{{ i.url }}{{ i.image_url }}{{ i.review_url }}{% endfor %}"
    )
    assert faults(every, subject="{{ order.id }}") == []
    status = every + "{{ status }}{{ status_label }}{{ note }}"
    assert faults(status, kind="status", subject="{{ status_label }}") == []


def test_output_is_capped() -> None:
    """The sample has 250 items of long names: a subject that lists them all passes the cap."""
    assert faults("{% for i in items %}{{ i.name }}{% endfor %}")[0][2] == (
        "the rendered subject passes 1000 characters"
    )


def test_a_template_that_fails_at_send_time_falls_back_to_the_built_in_one() -> None:
    broken = TemplateSet("{{ nope }}", "text", "html")
    message = compose("invitation", order("nl"), {"nl": broken})
    assert message.fallback is not None
    assert message.fallback.part == "subject"
    assert message.subject == "Wat vind je van je bestelling bij Acme Shoes?"
    assert message.locale == "nl"


def test_a_template_for_de_serves_de_orders_and_not_fr_ones() -> None:
    own = {"de": TemplateSet("Eigene {{ order.id }}", "t", "<p>h</p>")}
    assert compose("invitation", order("de-AT"), own).subject == "Eigene 1001"
    assert compose("invitation", order("fr-FR"), own).subject.startswith("Que pensez-vous")
