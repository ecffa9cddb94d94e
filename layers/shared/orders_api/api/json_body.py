"""How every function reads a JSON body, Powertools' validation and the functions without it alike."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

# pydantic's words for a body that is no object.
NOT_OBJECT = "Input should be a valid dictionary or object to extract fields from"


def json_body(text: str) -> Any:
    """The body's JSON value.

    A number longer than json.loads reads (4,300 digits) is text it cannot read: a 400 like any other,
    not the ValueError that Powertools let through as a 500. A top-level array, which no
    operation takes, is refused as a whole: Powertools would validate its first element as the body.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise json.JSONDecodeError(str(error), text, 0) from None
    if isinstance(value, list):
        raise RequestValidationError([{"type": "model_attributes_type", "loc": ("body",), "msg": NOT_OBJECT}])
    return value
