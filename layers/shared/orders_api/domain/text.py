"""Text and limits as the contract takes them, apart from the models, so that code which never loads
pydantic can check them the same way."""

from __future__ import annotations

IDENTIFIER_MIN_LENGTH = 1
IDENTIFIER_MAX_LENGTH = 128
MAX_ITEMS = 250


def utf8_encodable(value: str) -> str:
    """Lone surrogates survive json.loads but cannot be stored as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from error
    return value
