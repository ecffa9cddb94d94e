"""What can go wrong in the domain, named for what happened rather than for an HTTP status.

The api layer decides which problem (and status) each one is; code below it never picks one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orders_api.domain.field_errors import FieldError


class DomainError(Exception):
    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        allowed: Sequence[str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.allowed = list(allowed) if allowed is not None else None


class Unreadable(DomainError):
    """Input that cannot be taken at all, such as a cursor this API did not issue."""


class NotFound(DomainError):
    """The thing does not exist for this client (another client's is the same as none)."""


class Conflict(DomainError):
    """The request contradicts the current state: an existing order, a move the status forbids."""


class StaleVersion(DomainError):
    """The caller named a version the order is no longer at."""

    def __init__(self, detail: str, *, current_version: int | None = None) -> None:
        super().__init__(detail)
        self.current_version = current_version


class TooLarge(DomainError):
    """The result would not fit where it must be stored."""


class Invalid(DomainError):
    """Fields that break the contract's rules, each named in `errors`."""


class Unfinished(DomainError):
    """The work stopped short to answer in time; the same request again does the rest."""
