"""DynamoDB attribute values as the low-level client takes them, and its conditional-check failures."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

AttributeMap = dict[str, Any]


def string_value(value: str) -> dict[str, Any]:
    return {"S": value}


def number_value(value: int) -> dict[str, Any]:
    return {"N": str(value)}


def bool_value(value: bool) -> dict[str, Any]:
    return {"BOOL": value}


def is_condition_failure(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or []
        return not reasons or any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
    return False
