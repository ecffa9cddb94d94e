"""Instants as stored and shown: one fixed-width UTC form; time zones by name."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

# A client's time zone until it sets one.
DEFAULT_TIME_ZONE = "UTC"


def format_instant(value: datetime) -> str:
    """Fixed-width UTC form, years 0001 to 9999: sorts lexically in time order, which the indexes rely on."""
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
