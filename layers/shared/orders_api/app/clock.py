"""The clock every use case reads unless a test gives it another: the current instant in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
