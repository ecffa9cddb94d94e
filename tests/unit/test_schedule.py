"""Tests for review-invitation scheduling (calendar vs exact offsets, DST, weekends, expiry)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from orders_api.domain.schedule import (
    EXPIRY,
    MAX_AMOUNT,
    MIN_REMINDER_GAP,
    Unit,
    add_offset,
    delivery_base,
    is_expired,
    reminder_gap_ok,
)

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
ZONES = [
    AMS,
    NYC,
    ZoneInfo("UTC"),
    ZoneInfo("Asia/Tokyo"),
    ZoneInfo("Australia/Sydney"),
    ZoneInfo("America/Sao_Paulo"),
]
TEN = time(10, 0)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Expected values are stated in UTC because add_offset returns UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- constants ----------------------------------------------------------------


def test_constants_match_spec() -> None:
    assert MAX_AMOUNT == {"minutes": 525600, "hours": 8760, "days": 365, "weekdays": 365}
    assert timedelta(days=30) == EXPIRY
    assert timedelta(hours=24) == MIN_REMINDER_GAP


# --- delivery_base ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "send_time", "zone", "expected_utc", "expected_local"),
    [
        # Plain summer and winter days.
        (date(2026, 6, 1), TEN, AMS, utc(2026, 6, 1, 8), time(10, 0)),
        (date(2026, 1, 15), TEN, AMS, utc(2026, 1, 15, 9), time(10, 0)),
        (date(2026, 6, 1), TEN, NYC, utc(2026, 6, 1, 14), time(10, 0)),
        (date(2026, 1, 15), time(9, 45), NYC, utc(2026, 1, 15, 14, 45), time(9, 45)),
        # Default send time on DST days is unaffected (transition is at night).
        (date(2026, 3, 29), TEN, AMS, utc(2026, 3, 29, 8), time(10, 0)),
        (date(2026, 10, 25), TEN, AMS, utc(2026, 10, 25, 9), time(10, 0)),
        (date(2026, 3, 8), TEN, NYC, utc(2026, 3, 8, 14), time(10, 0)),
        (date(2026, 11, 1), TEN, NYC, utc(2026, 11, 1, 15), time(10, 0)),
        # Nonexistent local time (spring-forward gap) -> real instant just after the gap.
        (date(2026, 3, 29), time(2, 30), AMS, utc(2026, 3, 29, 1, 30), time(3, 30)),
        (date(2026, 3, 8), time(2, 30), NYC, utc(2026, 3, 8, 7, 30), time(3, 30)),
        # Ambiguous local time (fall-back) -> first occurrence (summer time).
        (date(2026, 10, 25), time(2, 30), AMS, utc(2026, 10, 25, 0, 30), time(2, 30)),
        (date(2026, 11, 1), time(1, 30), NYC, utc(2026, 11, 1, 5, 30), time(1, 30)),
    ],
    ids=[
        "ams-summer",
        "ams-winter",
        "nyc-summer",
        "nyc-winter-0945",
        "ams-spring-day-10",
        "ams-fall-day-10",
        "nyc-spring-day-10",
        "nyc-fall-day-10",
        "ams-gap-0230",
        "nyc-gap-0230",
        "ams-ambiguous-0230",
        "nyc-ambiguous-0130",
    ],
)
def test_delivery_base(
    day: date, send_time: time, zone: ZoneInfo, expected_utc: datetime, expected_local: time
) -> None:
    result = delivery_base(day, send_time, zone)
    assert result.tzinfo is zone
    # Compare in UTC: PEP 495 makes inter-zone == False for ambiguous local times.
    assert result.astimezone(UTC) == expected_utc
    assert result.time() == expected_local
    # The result is a real instant: its wall-clock survives a round trip through UTC.
    assert result.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == result.replace(tzinfo=None)


def test_delivery_base_ignores_send_time_tzinfo_and_fold() -> None:
    with_tz = time(2, 30, tzinfo=UTC, fold=1)
    assert delivery_base(date(2026, 10, 25), with_tz, AMS).astimezone(UTC) == utc(2026, 10, 25, 0, 30)


# --- add_offset: every unit, amount 0, DST ----------------------------------

AMS_SAT_SPRING = delivery_base(date(2026, 3, 28), TEN, AMS)  # 09:00Z, day before spring-forward
AMS_SAT_FALL = delivery_base(date(2026, 10, 24), TEN, AMS)  # 08:00Z, day before fall-back
NYC_SAT_SPRING = delivery_base(date(2026, 3, 7), TEN, NYC)  # 15:00Z
NYC_SAT_FALL = delivery_base(date(2026, 10, 31), TEN, NYC)  # 14:00Z
AMS_WED = delivery_base(date(2026, 6, 3), TEN, AMS)  # 08:00Z


@pytest.mark.parametrize(
    ("base", "unit", "amount", "zone", "expected"),
    [
        # Amount 0 is the base itself (a weekday base for weekdays).
        (AMS_WED, "minutes", 0, AMS, utc(2026, 6, 3, 8)),
        (AMS_WED, "hours", 0, AMS, utc(2026, 6, 3, 8)),
        (AMS_WED, "days", 0, AMS, utc(2026, 6, 3, 8)),
        (AMS_WED, "weekdays", 0, AMS, utc(2026, 6, 3, 8)),
        # Every unit on an ordinary week.
        (AMS_WED, "minutes", 90, AMS, utc(2026, 6, 3, 9, 30)),
        (AMS_WED, "hours", 5, AMS, utc(2026, 6, 3, 13)),
        (AMS_WED, "days", 3, AMS, utc(2026, 6, 6, 8)),
        (AMS_WED, "weekdays", 3, AMS, utc(2026, 6, 8, 8)),
        # Amsterdam spring-forward (2026-03-29): 24h lands at 11:00 local, 1 day at 10:00.
        (AMS_SAT_SPRING, "hours", 24, AMS, utc(2026, 3, 29, 9)),
        (AMS_SAT_SPRING, "minutes", 1440, AMS, utc(2026, 3, 29, 9)),
        (AMS_SAT_SPRING, "days", 1, AMS, utc(2026, 3, 29, 8)),
        (AMS_SAT_SPRING, "days", 2, AMS, utc(2026, 3, 30, 8)),
        # Amsterdam fall-back (2026-10-25): 24h lands at 09:00 local, 1 day at 10:00.
        (AMS_SAT_FALL, "hours", 24, AMS, utc(2026, 10, 25, 8)),
        (AMS_SAT_FALL, "days", 1, AMS, utc(2026, 10, 25, 9)),
        # New York spring-forward (2026-03-08).
        (NYC_SAT_SPRING, "hours", 24, NYC, utc(2026, 3, 8, 15)),
        (NYC_SAT_SPRING, "days", 1, NYC, utc(2026, 3, 8, 14)),
        # New York fall-back (2026-11-01).
        (NYC_SAT_FALL, "hours", 24, NYC, utc(2026, 11, 1, 14)),
        (NYC_SAT_FALL, "days", 1, NYC, utc(2026, 11, 1, 15)),
        # Weekdays across the DST change keep 10:00 local on Monday.
        (AMS_SAT_SPRING, "weekdays", 0, AMS, utc(2026, 3, 30, 8)),
        (NYC_SAT_FALL, "weekdays", 1, NYC, utc(2026, 11, 3, 15)),
        # Base given in another zone is interpreted in the order's zone.
        (utc(2026, 3, 28, 9), "days", 1, AMS, utc(2026, 3, 29, 8)),
        # Upper bounds are accepted.
        (AMS_WED, "days", 365, AMS, utc(2027, 6, 3, 8)),
        (AMS_WED, "hours", 8760, AMS, utc(2027, 6, 3, 8)),
        (AMS_WED, "minutes", 525600, AMS, utc(2027, 6, 3, 8)),
    ],
    ids=[
        "minutes-0",
        "hours-0",
        "days-0",
        "weekdays-0-on-weekday",
        "minutes-90",
        "hours-5",
        "days-3",
        "weekdays-3-over-weekend",
        "ams-spring-24-hours",
        "ams-spring-1440-minutes",
        "ams-spring-1-day",
        "ams-spring-2-days",
        "ams-fall-24-hours",
        "ams-fall-1-day",
        "nyc-spring-24-hours",
        "nyc-spring-1-day",
        "nyc-fall-24-hours",
        "nyc-fall-1-day",
        "ams-spring-weekdays-0",
        "nyc-fall-weekdays-1",
        "utc-base-ams-zone",
        "days-max",
        "hours-max",
        "minutes-max",
    ],
)
def test_add_offset(base: datetime, unit: Unit, amount: int, zone: ZoneInfo, expected: datetime) -> None:
    result = add_offset(base, unit, amount, zone)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("zone", "base_day", "amount", "local_hour"),
    [
        (AMS, date(2026, 3, 28), 1, 10),
        (AMS, date(2026, 10, 24), 1, 10),
        (NYC, date(2026, 3, 7), 1, 10),
        (NYC, date(2026, 10, 31), 1, 10),
    ],
)
def test_days_keep_wall_clock_while_hours_drift(
    zone: ZoneInfo, base_day: date, amount: int, local_hour: int
) -> None:
    base = delivery_base(base_day, TEN, zone)
    by_days = add_offset(base, "days", amount, zone)
    by_hours = add_offset(base, "hours", 24 * amount, zone)
    assert by_days.astimezone(zone).hour == local_hour
    assert by_hours.astimezone(zone).hour != local_hour
    # Subtract in UTC: same-tzinfo subtraction in Python is wall-clock, not elapsed time.
    elapsed = timedelta(hours=24 * amount)
    assert by_hours - base.astimezone(UTC) == elapsed
    assert by_days - base.astimezone(UTC) != elapsed


def test_days_from_gap_normalised_base_keeps_its_real_wall_clock() -> None:
    base = delivery_base(date(2026, 3, 29), time(2, 30), AMS)  # 03:30 CEST
    assert add_offset(base, "days", 1, AMS).astimezone(AMS).time() == time(3, 30)


def test_days_into_gap_lands_just_after_gap() -> None:
    base = delivery_base(date(2026, 3, 28), time(2, 30), AMS)
    assert add_offset(base, "days", 1, AMS) == utc(2026, 3, 29, 1, 30)


def test_days_zero_keeps_second_occurrence_of_ambiguous_time() -> None:
    second = datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=1)
    assert add_offset(second, "days", 0, AMS) == utc(2026, 10, 25, 1, 30)
    # A later day resolves to that day's (single) 02:30.
    assert add_offset(second, "days", 1, AMS) == utc(2026, 10, 26, 1, 30)


# --- add_offset: weekends -----------------------------------------------------


@pytest.mark.parametrize(
    ("base_day", "amount", "expected_day"),
    [
        (date(2026, 1, 3), 0, date(2026, 1, 5)),  # Sat + 0 -> Mon
        (date(2026, 1, 4), 0, date(2026, 1, 5)),  # Sun + 0 -> Mon
        (date(2026, 1, 3), 1, date(2026, 1, 6)),  # Sat + 1 -> Tue
        (date(2026, 1, 4), 1, date(2026, 1, 6)),  # Sun + 1 -> Tue
        (date(2026, 1, 4), 5, date(2026, 1, 12)),  # Sun + 5 -> Mon next week
        (date(2026, 1, 2), 0, date(2026, 1, 2)),  # Fri + 0 -> Fri
        (date(2026, 1, 2), 1, date(2026, 1, 5)),  # Fri + 1 -> Mon
        (date(2026, 1, 2), 5, date(2026, 1, 9)),  # Fri + 5 -> next Fri
        (date(2026, 1, 2), 6, date(2026, 1, 12)),  # Fri + 6 -> Mon after
        (date(2026, 1, 5), 4, date(2026, 1, 9)),  # Mon + 4 -> Fri
        (date(2026, 1, 5), 5, date(2026, 1, 12)),  # Mon + 5 -> Mon
        (date(2026, 1, 7), 3, date(2026, 1, 12)),  # Wed + 3 -> Mon
        (date(2026, 1, 5), 10, date(2026, 1, 19)),  # two full weeks
        (date(2026, 1, 5), 365, date(2027, 5, 31)),  # 73 weeks = 511 days
    ],
)
@pytest.mark.parametrize("zone", [AMS, NYC], ids=["ams", "nyc"])
def test_weekdays(base_day: date, amount: int, expected_day: date, zone: ZoneInfo) -> None:
    base = delivery_base(base_day, TEN, zone)
    result = add_offset(base, "weekdays", amount, zone).astimezone(zone)
    assert result.date() == expected_day
    assert result.time() == TEN
    assert result.weekday() < 5


@pytest.mark.parametrize(
    ("base_day", "expected_day"),
    [
        (date(2026, 1, 3), date(2026, 1, 3)),  # Sat: days do not skip weekends
        (date(2026, 1, 2), date(2026, 1, 2)),
    ],
)
def test_days_zero_does_not_move_weekend(base_day: date, expected_day: date) -> None:
    base = delivery_base(base_day, TEN, AMS)
    assert add_offset(base, "days", 0, AMS).astimezone(AMS).date() == expected_day


# --- add_offset: validation ---------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "amount"),
    [
        ("minutes", -1),
        ("hours", -1),
        ("days", -1),
        ("weekdays", -1),
        ("minutes", 525601),
        ("hours", 8761),
        ("days", 366),
        ("weekdays", 366),
        ("seconds", 1),
        ("days", True),
    ],
)
def test_add_offset_rejects_out_of_contract_input(unit: Unit, amount: int) -> None:
    with pytest.raises(ValueError, match=r"unit|amount"):
        add_offset(AMS_WED, unit, amount, AMS)


def test_add_offset_rejects_naive_base() -> None:
    with pytest.raises(ValueError, match="base must be timezone-aware"):
        add_offset(datetime(2026, 6, 3, 10), "days", 1, AMS)


# --- reminder_gap_ok ----------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "delay", "reminder", "zone", "expected"),
    [
        (AMS_WED, ("days", 0), ("days", 1), AMS, True),
        (AMS_WED, ("hours", 0), ("hours", 24), AMS, True),  # exactly 24h is enough
        (AMS_WED, ("hours", 0), ("minutes", 1439), AMS, False),
        (AMS_WED, ("days", 3), ("days", 3), AMS, False),
        (AMS_WED, ("days", 3), ("days", 2), AMS, False),  # reminder before invitation
        (AMS_WED, ("minutes", 30), ("days", 1), AMS, False),  # 23h30
        (AMS_WED, ("days", 1), ("hours", 48), AMS, True),
        # Spring-forward: one calendar day is only 23 hours.
        (AMS_SAT_SPRING, ("days", 0), ("days", 1), AMS, False),
        (AMS_SAT_SPRING, ("hours", 0), ("hours", 24), AMS, True),
        (AMS_SAT_SPRING, ("hours", 1), ("days", 1), AMS, False),
        (AMS_SAT_SPRING, ("days", 1), ("hours", 48), AMS, True),  # 25h
        (NYC_SAT_SPRING, ("days", 0), ("days", 1), NYC, False),
        (NYC_SAT_SPRING, ("days", 0), ("days", 2), NYC, True),
        # Fall-back: one calendar day is 25 hours.
        (AMS_SAT_FALL, ("days", 0), ("days", 1), AMS, True),
        (AMS_SAT_FALL, ("hours", 1), ("days", 1), AMS, True),  # exactly 24h
        (AMS_SAT_FALL, ("hours", 2), ("days", 1), AMS, False),
        (NYC_SAT_FALL, ("days", 1), ("hours", 48), NYC, False),  # 23h
        (NYC_SAT_FALL, ("days", 0), ("days", 1), NYC, True),
        # Weekdays: Friday + 1 weekday is 72h later; a weekend base collapses onto Monday.
        (delivery_base(date(2026, 1, 2), TEN, AMS), ("weekdays", 0), ("weekdays", 1), AMS, True),
        (delivery_base(date(2026, 1, 3), TEN, AMS), ("weekdays", 0), ("days", 2), AMS, False),
        (delivery_base(date(2026, 1, 3), TEN, AMS), ("days", 0), ("weekdays", 0), AMS, True),
    ],
)
def test_reminder_gap_ok(
    base: datetime,
    delay: tuple[Unit, int],
    reminder: tuple[Unit, int],
    zone: ZoneInfo,
    expected: bool,
) -> None:
    assert reminder_gap_ok(base, delay, reminder, zone) is expected


# --- is_expired ---------------------------------------------------------------

NOW = utc(2026, 6, 30, 12)


@pytest.mark.parametrize(
    ("send_at", "expected"),
    [
        (NOW, False),
        (NOW + timedelta(days=5), False),  # future
        (NOW - timedelta(days=29, hours=23), False),
        (NOW - timedelta(days=30), False),  # exactly 30 days is not expired
        (NOW - timedelta(days=30, seconds=1), True),
        (NOW - timedelta(days=30, microseconds=1), True),
        (NOW - timedelta(days=365), True),
        # Different zones compare as instants.
        ((NOW - timedelta(days=30)).astimezone(AMS), False),
        ((NOW - timedelta(days=30, seconds=1)).astimezone(NYC), True),
    ],
)
def test_is_expired(send_at: datetime, expected: bool) -> None:
    assert is_expired(send_at, NOW) is expected


def test_is_expired_uses_elapsed_time_within_one_zone() -> None:
    # Same wall-clock 10:00, but fall-back adds an hour: 30 days + 1h really elapsed.
    send_at = datetime(2026, 10, 1, 10, tzinfo=AMS)
    now = datetime(2026, 10, 31, 10, tzinfo=AMS)
    assert is_expired(send_at, now) is True
    # Spring-forward removes an hour: only 29 days 23h elapsed.
    assert is_expired(datetime(2026, 3, 1, 10, tzinfo=AMS), datetime(2026, 3, 31, 10, tzinfo=AMS)) is False


def test_is_expired_rejects_naive() -> None:
    with pytest.raises(ValueError, match="send_at must be timezone-aware"):
        is_expired(datetime(2026, 6, 1), NOW)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        is_expired(NOW, datetime(2026, 6, 1))


# --- properties ---------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 12, 31),
    timezones=st.just(UTC),
)
zones = st.sampled_from(ZONES)
calendar_units = st.sampled_from(["days", "weekdays"])


@given(
    base=instants,
    zone=zones,
    unit=calendar_units,
    a=st.integers(0, 365),
    b=st.integers(0, 365),
)
def test_calendar_offsets_monotonic(base: datetime, zone: ZoneInfo, unit: Unit, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert add_offset(base, unit, lo, zone) <= add_offset(base, unit, hi, zone)


@given(base=instants, zone=zones, amount=st.integers(0, 365))
def test_weekdays_never_on_weekend(base: datetime, zone: ZoneInfo, amount: int) -> None:
    assert add_offset(base, "weekdays", amount, zone).astimezone(zone).weekday() < 5


@given(base=instants, zone=zones, amount=st.integers(0, 365))
def test_weekdays_advance_exact_business_days(base: datetime, zone: ZoneInfo, amount: int) -> None:
    start = base.astimezone(zone).date()
    if start.weekday() >= 5:
        start += timedelta(days=7 - start.weekday())
    end = add_offset(base, "weekdays", amount, zone).astimezone(zone).date()
    assert end >= start
    business_days = sum(
        1 for n in range(1, (end - start).days + 1) if (start + timedelta(days=n)).weekday() < 5
    )
    assert business_days == amount


@given(
    base=instants,
    zone=zones,
    unit_amount=st.one_of(
        st.tuples(st.just("minutes"), st.integers(0, MAX_AMOUNT["minutes"])),
        st.tuples(st.just("hours"), st.integers(0, MAX_AMOUNT["hours"])),
    ),
)
def test_exact_units_are_exact_durations(
    base: datetime, zone: ZoneInfo, unit_amount: tuple[Unit, int]
) -> None:
    unit, amount = unit_amount
    result = add_offset(base, unit, amount, zone)
    assert result.tzinfo is UTC
    assert result - base == timedelta(**{unit: amount})


def _exists(day: date, wall: time, zone: ZoneInfo) -> bool:
    """A wall-clock time exists when it survives a round trip through UTC."""
    candidate = datetime.combine(day, wall, tzinfo=zone)
    return candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None)


@given(base=instants, zone=zones, amount=st.integers(0, 365))
def test_days_keep_local_time(base: datetime, zone: ZoneInfo, amount: int) -> None:
    start = base.astimezone(zone)
    target = start.date() + timedelta(days=amount)
    result = add_offset(base, "days", amount, zone).astimezone(zone)
    if _exists(target, start.time(), zone):
        assert result.date() == target
        assert (result.hour, result.minute, result.second, result.microsecond) == (
            start.hour,
            start.minute,
            start.second,
            start.microsecond,
        )
    else:
        # Gap on the target date: the wall time is read with the pre-transition offset,
        # which is the real instant just after the gap, later on the same local date.
        naive = datetime.combine(target, start.time().replace(fold=0))
        assert result.astimezone(UTC) == naive.replace(tzinfo=zone).astimezone(UTC)
        assert result.date() == target
        assert result.time() > start.time()
