"""Constrained scalar types shared by the wire models.

Each type validates what the contract promises and nothing more, so a value that
passes can be stored in DynamoDB and echoed back unchanged.
"""

from __future__ import annotations

import importlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
)

from orders_api.domain.email_addresses import normalised
from orders_api.domain.instants import format_instant, zone
from orders_api.domain.locales import TAG_MAX_LENGTH, TAG_MIN_LENGTH, normalise
from orders_api.domain.text import IDENTIFIER_MAX_LENGTH, IDENTIFIER_MIN_LENGTH, utf8_encodable

if TYPE_CHECKING:
    from pydantic import HttpUrl

# Validation context for documents read back from the table, which were checked when written.
STORED = {"stored": True}

EARLIEST_DATE = date(1000, 1, 1)
LATEST_DATE = date(8999, 12, 31)
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@cache
def _http_url_adapter() -> TypeAdapter[HttpUrl]:
    """Built by the first URL checked (about 5 ms): functions that are never sent one never build it."""
    networks = importlib.import_module("pydantic.networks")
    return TypeAdapter(networks.HttpUrl)


def _http_url(value: str) -> str:
    """Checked as an http(s) URL but kept exactly as sent, not normalised."""
    url = _http_url_adapter().validate_python(value)
    if url.scheme not in ("http", "https"):
        raise ValueError("must be an http or https URL")
    return value


def _email(value: str, info: ValidationInfo) -> str:
    """pydantic's EmailStr check and normalisation; it imports email-validator on first use.

    Addresses read back from the table were checked and normalised when written, so they
    are taken as they are: functions that only read never load email-validator.
    """
    if info.context is not None and info.context.get("stored"):
        return value
    return normalised(value)


def _iso_date_string(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE_PATTERN.match(value):
        raise ValueError("must be a date in the form YYYY-MM-DD")
    return value


def _schedulable(value: date) -> date:
    """An invitation counts up to a year and a half on from a delivery date, in any time zone."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def _iso_datetime_string(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or ("T" not in value.upper() and " " not in value):
        raise ValueError("must be an ISO-8601 date-time such as 2021-10-01T13:00:00Z")
    return value


def _as_utc(value: datetime) -> datetime:
    """Naive date-times are read as UTC; everything is kept in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error


def _time_zone(value: str) -> str:
    try:
        zone(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {value!r}") from error
    return value


def _gtin(value: str) -> str:
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValueError("must be 8, 12, 13 or 14 digits")
    digits = [int(c) for c in value]
    body, check = digits[:-1], digits[-1]
    weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - weighted % 10) % 10 != check:
        raise ValueError("has a wrong check digit")
    return value


def _decimal_number(value: Decimal) -> int | float:
    """At most 15 significant digits, so the float a JSON encoder writes is the exact decimal."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


Text = Annotated[str, AfterValidator(utf8_encodable)]
Identifier = Annotated[
    Text, StringConstraints(min_length=IDENTIFIER_MIN_LENGTH, max_length=IDENTIFIER_MAX_LENGTH)
]
ShortText = Annotated[Text, StringConstraints(max_length=250)]
Url = Annotated[Text, StringConstraints(max_length=2048), AfterValidator(_http_url)]
Gtin = Annotated[str, AfterValidator(_gtin)]
Email = Annotated[
    str,
    AfterValidator(_email),
    StringConstraints(max_length=320),
    Field(json_schema_extra={"format": "email"}),
]
TimeZoneName = Annotated[Text, StringConstraints(min_length=1, max_length=64), AfterValidator(_time_zone)]
LocaleTag = Annotated[
    Text,
    StringConstraints(min_length=TAG_MIN_LENGTH, max_length=TAG_MAX_LENGTH),
    AfterValidator(normalise),
    Field(examples=["nl-NL"], description="BCP 47 language tag, written back as nl-NL"),
]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True), Field(examples=["EUR"])]
MONEY_DIGITS = 15
Money = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=MONEY_DIGITS,
        allow_inf_nan=False,
        examples=[19.99],
        description=f"An exact decimal >= 0 of at most {MONEY_DIGITS} significant digits; it comes back as sent "
        "(19.99 as 19.99)",
    ),
    PlainSerializer(_decimal_number, return_type=float, when_used="json"),
]
IsoDate = Annotated[
    date, BeforeValidator(_iso_date_string), AfterValidator(_schedulable), Field(examples=["2026-11-20"])
]
Instant = Annotated[
    datetime,
    BeforeValidator(_iso_datetime_string),
    AfterValidator(_as_utc),
    PlainSerializer(format_instant, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
AttributeValue = StrictBool | StrictInt | Annotated[float, Field(allow_inf_nan=False)] | Text
Attributes = Annotated[
    dict[Annotated[Text, StringConstraints(min_length=1, max_length=250)], AttributeValue],
    Field(max_length=50),
]
