"""Parameters and JSON bodies read without pydantic, for the functions that run without it
(list_orders, preview_email, put_template: orders_api.api.template_requests).

Each reader takes a value as pydantic's lax mode would, and words each problem as pydantic
does, so the 422 lists the same fields and messages that Powertools' validation gave
(tests/unit/test_parameters.py and test_body_fields.py hold the readers to pydantic). A query
parameter given more than once is not a single value, as with Powertools. Problems are collected;
`check` raises them all, and readers that share one list of errors report together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from orders_api.api.json_body import NOT_OBJECT, json_body
from orders_api.api.problems import BadRequest, ValidationFailed
from orders_api.domain.email_addresses import normalised
from orders_api.domain.field_errors import FieldError
from orders_api.domain.text import utf8_encodable

T = TypeVar("T")

# What pydantic strips around an integer: Unicode's White_Space, which str.strip() exceeds (it also
# strips U+001C to U+001F).
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_INTEGER = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
_MAX_INTEGER_DIGITS = 4300
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})

NOT_INTEGER = "Input should be a valid integer"
NOT_BOOLEAN = "Input should be a valid boolean"
NOT_STRING = "Input should be a valid string"
NOT_DATETIME = "Input should be a valid datetime"
MISSING = "Field required"


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def _one_of(choices: tuple[str, ...]) -> str:
    return f"Input should be {', '.join(map(repr, choices[:-1]))} or {choices[-1]!r}"


class Parameters:
    """Named values read one by one (a path's parameters, say); what is wrong with them is kept for `check`."""

    def __init__(self, values: Mapping[str, Any], errors: list[FieldError] | None = None) -> None:
        self._single: Mapping[str, Any] = values
        self.errors: list[FieldError] = [] if errors is None else errors

    def _given(self, name: str, not_single: str) -> str | None:
        """The value named; None when absent."""
        value: str | None = self._single.get(name)
        return value

    def refuse(self, name: str, message: str) -> None:
        self.errors.append(FieldError(field=name, message=message))

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed("The request has invalid fields.", errors=self.errors)

    def integer(self, name: str, default: int, *, ge: int, le: int) -> int:
        given = self._given(name, NOT_INTEGER)
        if given is None:
            return default
        text = given.strip(_WHITESPACE)
        if len(text) > _MAX_INTEGER_DIGITS:
            self.refuse(name, "Unable to parse input string as an integer, exceeded maximum size")
            return default
        if not _INTEGER.fullmatch(text):
            self.refuse(name, f"{NOT_INTEGER}, unable to parse string as an integer")
            return default
        value = int(text.partition(".")[0])
        if value < ge:
            self.refuse(name, f"Input should be greater than or equal to {ge}")
        elif value > le:
            self.refuse(name, f"Input should be less than or equal to {le}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        given = self._given(name, NOT_BOOLEAN)
        if given is None:
            return default
        word = given.lower()
        if word not in _TRUE | _FALSE:
            self.refuse(name, f"{NOT_BOOLEAN}, unable to interpret input")
            return default
        return word in _TRUE

    def choice(self, name: str, choices: tuple[T, ...]) -> T | None:
        """One of the choices, exactly; None when absent."""
        message = _one_of(tuple(str(choice) for choice in choices))
        given = self._given(name, message)
        if given is None:
            return None
        chosen = next((choice for choice in choices if choice == given), None)
        if chosen is None:
            self.refuse(name, message)
        return chosen

    def text(self, name: str, *, min_length: int = 0, max_length: int | None = None) -> str | None:
        """Text as the models take it (orders_api.domain.scalars.Text), its length checked after."""
        given = self._given(name, NOT_STRING)
        if given is None:
            return None
        try:
            utf8_encodable(given)
        except ValueError as error:
            self.refuse(name, str(error))
            return None
        if len(given) < min_length:
            self.refuse(
                name, f"Value should have at least {_items(min_length)} after validation, not {len(given)}"
            )
        elif max_length is not None and len(given) > max_length:
            self.refuse(
                name, f"Value should have at most {_items(max_length)} after validation, not {len(given)}"
            )
        return given

    def parsed(self, name: str, parse: Callable[[str], T], not_single: str) -> T | None:
        """A value that `parse` reads, or refuses with a ValueError saying why."""
        given = self._given(name, not_single)
        if given is None:
            return None
        try:
            return parse(given)
        except ValueError as error:
            self.refuse(name, str(error))
            return None

    def email(self, name: str) -> str | None:
        """Checked and normalised as the models take an address (orders_api.domain.scalars.Email)."""
        return self.parsed(name, normalised, NOT_STRING)


class QueryParameters(Parameters):
    """One request's query parameters."""

    def __init__(self, event: Mapping[str, Any], errors: list[FieldError] | None = None) -> None:
        super().__init__(event.get("queryStringParameters") or {}, errors)
        self._multi: Mapping[str, list[str]] = event.get("multiValueQueryStringParameters") or {}

    def _given(self, name: str, not_single: str) -> str | None:
        """The parameter's one value; None when absent, or when it was given more than once."""
        if name in self._multi:
            values = self._multi[name]
            if len(values) == 1:
                return values[0]
            self.refuse(name, not_single)
            return None
        return super()._given(name, not_single)


class BodyFields(Parameters):
    """A JSON body read as Powertools reads a pydantic model's body with extra="forbid": no body is a
    missing field, anything but an object is refused as a whole (an array at once, by json_body), a
    field absent is required, and keys no reader asked for are refused at `check`, after the fields.

    Text that is not JSON is a 400 at once, before any other problem, as with Powertools.
    """

    def __init__(self, body: str | None, errors: list[FieldError] | None = None) -> None:
        try:
            parsed = json_body(body) if body else None
        except json.JSONDecodeError:
            raise BadRequest("The request body is not valid JSON.") from None
        super().__init__(parsed if isinstance(parsed, dict) else {}, errors)
        self._read: list[str] = []
        self._is_object = isinstance(parsed, dict)
        if parsed is None:
            self.refuse("body", MISSING)
        elif not self._is_object:
            self.refuse("body", NOT_OBJECT)

    def text(self, name: str, *, min_length: int = 0, max_length: int | None = None) -> str | None:
        """A required text field."""
        self._read.append(name)
        if not self._is_object:
            return None
        if name not in self._single:
            self.refuse(name, MISSING)
            return None
        if not isinstance(self._single[name], str):
            self.refuse(name, NOT_STRING)
            return None
        return super().text(name, min_length=min_length, max_length=max_length)

    def check(self) -> None:
        for name in self._single:
            if name not in self._read:
                self.refuse(name, "Extra inputs are not permitted")
        super().check()
