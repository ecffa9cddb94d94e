"""Orders as the API shows them (Order.public()), made from the stored JSON text without the models.

A stored order is the JSON that Order.model_dump_json wrote, without its version, and it was
checked when written; reading it back through the models cost most of a GET, and parsing it
at all most of a list page. So the text is edited in the three places where the shown order
differs: each item's `reviewable` left to its default (shown resolved: true when the item has
a name), the customer's opt-out (kept on the table item, which a change of the customer's
choice updates without rewriting the document), and the version, the model's last field.

What makes a text edit safe is the JSON the model writes: keys in field order, every `"` inside
a string escaped, and no null among attribute values, so each pattern below can only be the
field it names. tests/unit/test_public.py holds the result to Order.public() for many orders.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from orders_api.domain.serialization import dumps

if TYPE_CHECKING:
    from orders_api.domain.models import Order

_DEFAULT_REVIEWABLE = '"reviewable":null'
# An item's name is written right after its id and right before its url: an item with no name
# (null or "") shows one of these.
_NAMELESS = ('"name":null,"url":', '"name":"","url":')
_CUSTOMER = '"customer":{'
_OPT_OUT = '"opt_out":'


def defaults_named(order: Order) -> bool:
    """Whether every item left to the default reviewable has a name, and so shows as reviewable.

    The writer records it beside the document: looking for nameless items takes a read two
    passes over the whole text, most of the work of showing it.
    """
    return all(item.name for item in order.items if item.reviewable is None)


def order_json(document: str, version: int, opt_out: bool, *, named: bool | None = None) -> str:
    """The order as the API shows it, from its stored document, version and the customer's opt-out.

    `named` is defaults_named as recorded when the document was written; None when it was not.
    """
    if _DEFAULT_REVIEWABLE in document:
        if named is None:
            named = not any(nameless in document for nameless in _NAMELESS)
        if named:
            document = document.replace(_DEFAULT_REVIEWABLE, '"reviewable":true')
        else:
            document = _resolved(document)
    return _with_opt_out(document, opt_out)[:-1] + f',"version":{version}}}'


def _resolved(document: str) -> str:
    """Items without a name among those left to the default: each resolved on its own."""
    order = json.loads(document)
    for item in order["items"]:
        if item["reviewable"] is None:
            item["reviewable"] = bool(item["name"])
    return dumps(order)


def _with_opt_out(document: str, opt_out: bool) -> str:
    """The customer's own fields before opt_out are strings, so the first opt_out after the
    customer's opening brace is theirs (attributes, written before the customer, may hold one)."""
    at = document.index(_OPT_OUT, document.index(_CUSTOMER)) + len(_OPT_OUT)
    stored = document.startswith("true", at)
    if stored == opt_out:
        return document
    written = "true" if stored else "false"
    return document[:at] + ("true" if opt_out else "false") + document[at + len(written) :]


def page_json(orders: list[str], next_link: str | None, cursor: str | None) -> str:
    """A list page's body, the orders already JSON text: joined once, as a page may be megabytes."""
    parts = ['{"data":[']
    for index, order in enumerate(orders):
        parts += (",", order) if index else (order,)
    parts.append(f'],"links":{dumps({"next": next_link})},"next_cursor":{dumps(cursor)}}}')
    return "".join(parts)


def envelope_json(data: str) -> str:
    """{"data": ...} around JSON text."""
    return f'{{"data":{data}}}'
