"""The variables every template sees, made from the order as the API shows it (Order.public()).

From the shown order rather than the models, so the preview and a template's check, which read
stored documents, load no pydantic; the mailer hands over its order's public().
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import quote

from orders_api.domain.email_settings import EmailSettings, shop_name
from orders_api.domain.instants import format_instant, zone
from orders_api.domain.locales import DEFAULT_LOCALE, Language, languages
from orders_api.domain.text import MAX_ITEMS

# A template that renders the sample in time renders any real order in time too: as many items as an
# order can hold, with long texts.
_SAMPLE_TEXT = "Sample " * 35
_SAMPLE_UNSUBSCRIBE_URL = "https://api.example/v1/unsubscribe?token=sample"


class StatusNote(NamedTuple):
    """What a status email tells: the status and the shop's note on it."""

    status: str
    note: str | None


def _filled(template: str, values: Mapping[str, str]) -> str:
    """Placeholders replaced literally (never str.format), so a template cannot reach into Python
    objects; the values are URL-encoded, so they cannot form a placeholder themselves."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(value, safe=""))
    return template


def review_link(settings: EmailSettings, order_id: str, item_id: str, item_url: str | None) -> str | None:
    """The client's template with URL-encoded placeholders; without one, the item's own page."""
    template = settings.review_link_template
    if not template:
        return item_url
    return _filled(template, {"client_id": settings.client_id, "order_id": order_id, "item_id": item_id})


def shop_review_link(settings: EmailSettings, order_id: str) -> str | None:
    """The client's shop review template with URL-encoded placeholders; None without one."""
    template = settings.shop_review_link_template
    if not template:
        return None
    return _filled(template, {"client_id": settings.client_id, "order_id": order_id})


def items_to_review(order: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """orders_api.domain.invitations.items_to_review on the shown order, where `reviewable` is resolved."""
    return [
        item for item in order["items"] if item["reviewable"] and not item["deleted"] and not item["reviewed"]
    ]


def variables(
    order: Mapping[str, Any],
    settings: EmailSettings,
    language: Language,
    *,
    unsubscribe_url: str | None,
    status: StatusNote | None = None,
) -> dict[str, Any]:
    """What every template sees, the same in each language (README "Template variables")."""
    placed_at = order["placed_at"]
    placed = (
        datetime.fromisoformat(placed_at).astimezone(zone(order["time_zone"] or settings.time_zone))
        if placed_at
        else None
    )
    context: dict[str, Any] = {
        "locale": language.tag,
        "shop": {"name": shop_name(settings), "review_url": shop_review_link(settings, order["id"])},
        "customer": {"name": order["customer"]["name"]},
        "order": {
            "id": order["id"],
            "placed_at": language.format_date(placed.day, placed.month, placed.year) if placed else None,
            "locale": order["locale"],
        },
        "items": [
            {
                "name": item["name"] or item["id"],
                "url": item["url"],
                "image_url": item["image_url"],
                "review_url": review_link(settings, order["id"], item["id"], item["url"]),
            }
            for item in items_to_review(order)
        ],
        "unsubscribe_url": unsubscribe_url,
    }
    if status is not None:
        context["status"] = status.status
        context["status_label"] = language.statuses.get(status.status, status.status)
        context["note"] = status.note
    return context


def sample_order() -> dict[str, Any]:
    """A shown order as large as an order can be, for the check of a shop's template."""
    now = format_instant(datetime.now(UTC))
    return {
        "id": "SAMPLE-1001",
        "placed_at": now,
        "time_zone": None,
        "locale": "en",
        "customer": {"id": "C1", "email": "customer@example.com", "name": _SAMPLE_TEXT},
        "items": [
            {
                "id": f"SKU-{n}",
                "name": f"{_SAMPLE_TEXT}{n}",
                "url": f"https://shop.example/p/{n}",
                "image_url": f"https://shop.example/p/{n}.jpg",
                "reviewable": True,
                "reviewed": False,
                "deleted": False,
            }
            for n in range(MAX_ITEMS)
        ],
    }


def sample_variables(settings: EmailSettings, kind: str) -> dict[str, Any]:
    """The variables of the sample order for an email of this kind, in the default language."""
    status = StatusNote("shipped", _SAMPLE_TEXT) if kind == "status" else None
    return variables(
        sample_order(),
        settings,
        languages()[DEFAULT_LOCALE],
        unsubscribe_url=None if status else _SAMPLE_UNSUBSCRIBE_URL,
        status=status,
    )
