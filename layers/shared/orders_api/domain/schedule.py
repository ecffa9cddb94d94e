"""Review-invitation scheduling: when to send an invitation and its reminder.

Offsets come in two flavours on purpose. Minutes and hours are exact elapsed
time, so they are computed in UTC. Days and weekdays are calendar offsets, so
they keep the local wall-clock time in the order's zone across DST changes
(a customer who gets mail at 10:00 should keep getting it at 10:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "EXPIRY",
    "MAX_AMOUNT",
    "MIN_REMINDER_GAP",
    "Unit",
    "add_offset",
    "delivery_base",
    "is_expired",
    "reminder_gap_ok",
]

Unit = Literal["minutes", "hours", "days", "weekdays"]

MAX_AMOUNT: dict[str, int] = {"minutes": 525600, "hours": 8760, "days": 365, "weekdays": 365}
EXPIRY = timedelta(days=30)
MIN_REMINDER_GAP = timedelta(hours=24)

_SATURDAY = 5


def _local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """Resolve a local wall-clock time to a real instant in zone.

    fold=0 picks the first occurrence of an ambiguous time; for a time in a DST
    gap it applies the pre-transition offset, and the UTC round trip then
    normalises it to the instant just after the gap (02:30 -> 03:30).
    """
    naive_wall = wall.replace(tzinfo=None, fold=0)
    local = datetime.combine(day, naive_wall, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)


def _require_aware(value: datetime, name: str) -> None:
    """Naive datetimes would silently be read as server-local time."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _validate_amount(unit: str, amount: int) -> None:
    """Enforce the spec's per-unit bounds before doing any arithmetic."""
    if unit not in MAX_AMOUNT:
        raise ValueError(f"unknown unit: {unit!r}")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an integer, got {amount!r}")
    if not 0 <= amount <= MAX_AMOUNT[unit]:
        raise ValueError(f"amount for {unit} must be within 0..{MAX_AMOUNT[unit]}, got {amount}")


def _add_business_days(start: date, amount: int) -> date:
    """start must be Mon-Fri; whole weeks are jumped at once so large amounts stay O(1)."""
    weeks, rest = divmod(amount, 5)
    result = start + timedelta(weeks=weeks)
    if result.weekday() + rest >= _SATURDAY:
        rest += 2
    return result + timedelta(days=rest)


def delivery_base(delivery_date: date, send_time: time, zone: ZoneInfo) -> datetime:
    """Anchor the schedule to the client's send time on the delivery day, in the order's zone.

    A send time inside a DST gap becomes the real instant just after the gap;
    an ambiguous send time takes its first occurrence (fold=0). The result is
    local to zone; compare or subtract it in UTC, since Python treats
    same-zone arithmetic as wall-clock and inter-zone equality of ambiguous
    times as False.
    """
    return _local_instant(delivery_date, send_time, zone)


def add_offset(base: datetime, unit: Unit, amount: int, zone: ZoneInfo) -> datetime:
    """Apply a delay or reminder offset to base; the result is in UTC for storage and comparison.

    minutes/hours are exact durations. days keep the local wall-clock time in
    zone. weekdays first move a weekend base to Monday (even for amount 0),
    then count Mon-Fri days, also at the same local time.
    """
    _require_aware(base, "base")
    _validate_amount(unit, amount)

    if unit == "minutes":
        return base.astimezone(UTC) + timedelta(minutes=amount)
    if unit == "hours":
        return base.astimezone(UTC) + timedelta(hours=amount)

    local = base.astimezone(zone)
    start = local.date()
    if unit == "days":
        target = start + timedelta(days=amount)
    else:
        if start.weekday() >= _SATURDAY:
            start += timedelta(days=7 - start.weekday())
        target = _add_business_days(start, amount)

    if target == local.date():
        # Same day: keep the exact instant so a second-occurrence base (fold=1) is not moved.
        return base.astimezone(UTC)
    return _local_instant(target, local.time(), zone).astimezone(UTC)


def reminder_gap_ok(
    base: datetime,
    delay: tuple[Unit, int],
    reminder: tuple[Unit, int],
    zone: ZoneInfo,
) -> bool:
    """Validate the spec rule that a reminder lands at least 24 real hours after the invitation."""
    send_at = add_offset(base, delay[0], delay[1], zone)
    reminder_at = add_offset(base, reminder[0], reminder[1], zone)
    return reminder_at - send_at >= MIN_REMINDER_GAP


def is_expired(send_at: datetime, now: datetime) -> bool:
    """Invitations scheduled more than 30 days late are not worth sending (reason: expired)."""
    _require_aware(send_at, "send_at")
    _require_aware(now, "now")
    # Subtract in UTC: with a shared tzinfo Python subtracts wall-clock times and ignores DST.
    return now.astimezone(UTC) - send_at.astimezone(UTC) > EXPIRY
