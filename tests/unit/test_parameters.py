"""Query parameters read without pydantic take and refuse what pydantic did, in pydantic's words.

list_orders ran with Powertools' validation, which checked each parameter with pydantic against
its declared type; each reader here is held to pydantic on that type, value by value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from orders_api.api.parameters import NOT_DATETIME, NOT_STRING, QueryParameters
from orders_api.api.problems import ValidationFailed
from orders_api.domain import listing
from orders_api.domain.email_models import PreviewKind
from orders_api.domain.field_errors import field_errors
from orders_api.domain.scalars import Email, Identifier
from orders_api.domain.status import STATUSES, Status
from orders_api.domain.template_sets import TEMPLATE_KINDS
from orders_api.domain.text import IDENTIFIER_MAX_LENGTH, IDENTIFIER_MIN_LENGTH
from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError

Outcome = tuple[Any, list[str]]


def pydantic_reads(kind: Any, given: Any) -> Outcome:
    """What pydantic made of the value, or its messages as the 422 showed them."""
    try:
        return TypeAdapter(kind).validate_python(given), []
    except ValidationError as error:
        return None, [entry.message for entry in field_errors(error.errors())]


def we_read(read: Any, given: str | list[str]) -> Outcome:
    event = {"multiValueQueryStringParameters": {"p": given}} if isinstance(given, list) else {}
    parameters = QueryParameters({"queryStringParameters": {"p": given}, **event})
    value = read(parameters)
    return (None if parameters.errors else value), [error.message for error in parameters.errors]


READERS: dict[str, tuple[Any, Any]] = {
    "limit": (
        Annotated[int, Field(ge=1, le=listing.MAX_LIMIT)],
        lambda p: p.integer("p", listing.DEFAULT_LIMIT, ge=1, le=listing.MAX_LIMIT),
    ),
    "include_deleted": (bool, lambda p: p.boolean("p", False)),
    "status": (Status, lambda p: p.choice("p", STATUSES)),
    "sort": (listing.SortOrder, lambda p: p.choice("p", listing.SORT_ORDERS)),
    "kind (preview_email)": (PreviewKind, lambda p: p.choice("p", TEMPLATE_KINDS)),
    "customer_id": (
        Identifier,
        lambda p: p.text("p", min_length=IDENTIFIER_MIN_LENGTH, max_length=IDENTIFIER_MAX_LENGTH),
    ),
    "customer_email": (Email, lambda p: p.email("p")),
    "created_after": (
        # As the operation declared it before: strings read by created_bound, anything else by pydantic.
        Annotated[datetime, BeforeValidator(lambda v: listing.created_bound(v) if isinstance(v, str) else v)],
        lambda p: p.parsed("p", listing.created_bound, NOT_DATETIME),
    ),
    "after": (str, lambda p: p.parsed("p", str, NOT_STRING)),
}

numbers = st.text(st.sampled_from("0123456789+-_. \t\xa0\x1c\u2028\u0665e"), max_size=8)
words = st.one_of(
    st.sampled_from(
        [
            "true",
            "TRUE",
            "On",
            "yes",
            "n",
            "0",
            "1",
            "placed",
            "paid",
            "created_at",
            "-created_at",
            "status",
            "Status",
        ]
    ),
    st.text(st.sampled_from("truefalsyonTRUEFALSYON01 -_"), max_size=6),
)
texts = st.one_of(st.text(max_size=4), st.text(min_size=126, max_size=130), st.just("\udcff"))
emails = st.sampled_from(
    [
        "ann@example.com",
        "Ann@EXAMPLE.com",
        " ann@example.com ",
        "ann",
        "ann@b",
        "Ann <ann@example.com>",
        "",
        "a@b.c",
    ]
)
bounds = st.one_of(
    st.sampled_from(
        ["2021-10-01", "2021-10-01T13:00:00Z", "2021-10-01T13:00:00", "2021-02-30", "20211001", ""]
    ),
    st.text(st.sampled_from("0123456789-T:Z+ ."), max_size=20),
)
VALUES = {
    "limit": numbers,
    "include_deleted": words,
    "status": words,
    "sort": words,
    "kind (preview_email)": words,
    "customer_id": texts,
    "customer_email": emails,
    "created_after": bounds,
    "after": texts,
}


@pytest.mark.parametrize("name", sorted(READERS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_single_value_is_read_as_pydantic_read_it(name: str, data: st.DataObject) -> None:
    given = data.draw(VALUES[name])
    assume(not (name == "limit" and "-" in given.strip()[1:]))
    kind, read = READERS[name]
    assert we_read(read, given) == pydantic_reads(kind, given)


# pydantic-core reads some numbers with a "-" after their first character as negative ("0-1" and "00-1" are
# -1, "0-0" is 0), which int() and every client would call malformed; the reader refuses them as not
# integers, as it does "1-0". The property above leaves such values to this test.
@pytest.mark.parametrize("given", ["0-1", "0-0", "0-1_0", "00-1", "+0-1", "0_0-1", "0-1.0"])
def test_zero_then_a_signed_number_is_not_an_integer(given: str) -> None:
    _, read = READERS["limit"]
    assert we_read(read, given) == (
        None,
        ["Input should be a valid integer, unable to parse string as an integer"],
    )


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_name_given_twice_is_refused_as_pydantic_refused_the_list(name: str) -> None:
    kind, read = READERS[name]
    twice = ["1", "2"]
    assert we_read(read, twice) == pydantic_reads(kind, twice)
    assert we_read(read, ["2"]) == we_read(read, "2")


@pytest.mark.parametrize("digits", [4300, 4301])
def test_very_long_numbers_are_refused_as_pydantic_refused_them(digits: int) -> None:
    kind, read = READERS["limit"]
    assert we_read(read, "1" * digits) == pydantic_reads(kind, "1" * digits)


def test_absent_parameters_take_their_defaults_and_check_raises_every_problem() -> None:
    parameters = QueryParameters({"queryStringParameters": {"limit": "0", "sort": "x"}})
    assert parameters.boolean("include_deleted", True) is True
    assert parameters.text("customer_id") is None
    parameters.integer("limit", 100, ge=1, le=1000)
    parameters.choice("sort", listing.SORT_ORDERS)
    with pytest.raises(ValidationFailed) as raised:
        parameters.check()
    assert [error.field for error in raised.value.errors or []] == ["limit", "sort"]
