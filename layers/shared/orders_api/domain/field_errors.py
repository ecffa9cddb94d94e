"""Problems with named fields, and pydantic's error list turned into them.

Plain Python, so the functions that never load pydantic answer 422s and 400s naming fields too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


# No docstring: pydantic would put it in the OpenAPI document as the schema's description.
@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def shown(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


_LOCATIONS = ("body", "query", "path", "header")


def field_path(location: Sequence[str | int], prefix: str = "") -> str:
    parts = list(location)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    path = prefix
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


def field_errors(errors: Iterable[Mapping[str, Any]], prefix: str = "") -> list[FieldError]:
    """One entry per problem; pydantic's union branches and the 'from_' alias are folded."""
    seen: set[tuple[str, str]] = set()
    result: list[FieldError] = []
    for error in errors:
        location = [p for p in error.get("loc", ()) if not _is_union_branch(p)]
        location = ["from" if p == "from_" else p for p in location]
        entry = (field_path(location, prefix), _message(error))
        if entry not in seen:
            seen.add(entry)
            result.append(FieldError(field=entry[0], message=entry[1]))
    return result


def _is_union_branch(part: str | int) -> bool:
    """pydantic names the branch it tried ('str', 'function-after[...]'); users never need it."""
    return isinstance(part, str) and (
        part in ("str", "int", "float", "bool", "bool-strict", "int-strict", "float-strict")
        or "[" in part
        or part.endswith("-strict")
    )
