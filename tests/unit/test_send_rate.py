"""How fast the mailer sends: the token bucket, the throttle its workers share, and where the rate comes from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from botocore.stub import Stubber
from hypothesis import given
from hypothesis import strategies as st
from orders_api import settings
from orders_api.adapters import aws, ses
from orders_api.app import send_rate
from orders_api.app.send_rate import DEFAULT_SEND_RATE, Throttle
from orders_api.domain.token_bucket import TokenBucket

# --- the bucket -----------------------------------------------------------------------------------


def test_a_full_bucket_lets_its_burst_go_at_once_then_one_every_interval() -> None:
    bucket = TokenBucket(rate=4, burst=3)
    assert [bucket.reserve(10.0) for _ in range(6)] == [10.0, 10.0, 10.0, 10.25, 10.5, 10.75]


def test_one_token_spaces_every_send() -> None:
    bucket = TokenBucket(rate=14)
    slots = [bucket.reserve(0.0) for _ in range(15)]
    assert slots[0] == 0.0
    assert all(later - earlier == pytest.approx(1 / 14) for earlier, later in pairwise(slots))
    assert slots[14] == pytest.approx(1.0)


def test_an_idle_bucket_fills_up_to_its_burst_and_no_further() -> None:
    bucket = TokenBucket(rate=2, burst=2)
    assert bucket.reserve(0.0) == 0.0
    assert [bucket.reserve(100.0) for _ in range(3)] == [100.0, 100.0, 100.5]


def test_a_send_asked_for_after_its_slot_goes_at_once() -> None:
    bucket = TokenBucket(rate=1)
    assert (bucket.reserve(0.0), bucket.reserve(0.0), bucket.reserve(5.0)) == (0.0, 1.0, 5.0)


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (float("inf"), 1), (float("nan"), 1), (1, 0)])
def test_a_rate_or_burst_that_means_nothing_is_refused(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        TokenBucket(rate, burst)


def test_a_late_send_pushes_the_next_ones_back() -> None:
    bucket = TokenBucket(rate=10)
    assert bucket.reserve(0.0) == 0.0
    bucket.sent(0.25)
    assert (bucket.reserve(0.25), bucket.reserve(0.25)) == (0.35, pytest.approx(0.45))


@given(
    rate=st.floats(min_value=0.5, max_value=2_000),
    burst=st.integers(min_value=1, max_value=20),
    calls=st.lists(
        st.tuples(st.floats(min_value=0, max_value=2), st.floats(min_value=0, max_value=0.5)),
        min_size=1,
        max_size=200,
    ),
)
def test_no_window_holds_more_than_rate_times_its_length_plus_the_burst(
    rate: float, burst: int, calls: list[tuple[float, float]]
) -> None:
    """Callers come at any times, one after the other, and send at their slot or later; the sends keep
    the rate over any window.

    The fullest window of a given length starts and ends at a send, so checking each pair of sends
    (the i-th to the j-th: j - i + 1 sends in sent_j - sent_i seconds) checks every window.
    """
    bucket = TokenBucket(rate, burst)
    now, sends = 0.0, []
    for gap, late in calls:
        now += gap
        slot = bucket.reserve(now)
        assert slot >= now
        now = slot + late
        bucket.sent(now)
        sends.append(now)
    for i, first in enumerate(sends):
        for j in range(i, len(sends)):
            assert j - i + 1 <= rate * (sends[j] - first) + burst + 1e-6


# --- the throttle ---------------------------------------------------------------------------------


class FakeClock:
    """Time that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_one_worker_waits_its_turn_every_interval() -> None:
    clock = FakeClock()
    throttle = Throttle(4, clock=clock, sleep=clock.sleep)
    allowed = []
    for _ in range(5):
        throttle.wait()
        allowed.append(clock.now)
    assert allowed == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_workers_sharing_a_throttle_each_get_their_own_slot() -> None:
    """Time stands still, so each worker's wait is where its slot lies: all different, 1/rate apart."""
    clock = FakeClock()
    waits: list[float] = []
    throttle = Throttle(10, clock=clock, sleep=waits.append)
    threads = [threading.Thread(target=throttle.wait) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == pytest.approx([n / 10 for n in range(1, 8)])


# --- where the rate comes from --------------------------------------------------------------------


@pytest.fixture
def account() -> Iterator[Stubber]:
    """SES's GetAccount answered by botocore's Stubber; the container's cached answer dropped around it."""
    ses.account_send_rate.cache_clear()
    with Stubber(aws.sesv2()) as stubber:
        yield stubber
    ses.account_send_rate.cache_clear()


def quota(rate: float) -> dict[str, Any]:
    return {"SendQuota": {"Max24HourSend": 50_000.0, "MaxSendRate": rate, "SentLast24Hours": 0.0}}


def test_the_rate_is_the_accounts_asked_once_per_container(account: Stubber) -> None:
    account.add_response("get_account", quota(14.0))
    assert (send_rate.send_rate(), send_rate.send_rate()) == (14.0, 14.0)
    account.assert_no_pending_responses()


def test_without_get_account_the_rate_is_the_safe_default_logged_and_asked_again(
    account: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[dict[str, Any]] = []
    monkeypatch.setattr(
        send_rate.logger, "warning", lambda message, **kw: warned.append({"message": message, **kw})
    )
    account.add_client_error("get_account", "AccessDeniedException", http_status_code=403)
    account.add_response("get_account", quota(200.0))
    assert send_rate.send_rate() == DEFAULT_SEND_RATE == 1.0
    assert [w["message"] for w in warned] == ["SES send rate unknown; sending at the default rate"]
    assert send_rate.send_rate() == 200.0


def test_an_account_answering_no_rate_gets_the_default(account: Stubber) -> None:
    account.add_response("get_account", quota(0.0))
    assert send_rate.send_rate() == DEFAULT_SEND_RATE


def test_a_configured_rate_is_used_without_asking_ses(
    account: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SES_MAX_SEND_RATE", "2.5")
    settings.reload()
    assert send_rate.send_rate() == 2.5
    account.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SES_MAX_SEND_RATE", "0"),
        ("SES_MAX_SEND_RATE", "fast"),
        ("MAILER_WORKERS", "-1"),
        ("MAILER_WORKERS", "2.5"),
    ],
)
def test_a_malformed_rate_or_worker_count_fails_the_function_at_once(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=f"{name} must be a positive number"):
        settings.reload()


def test_the_mailer_has_sixteen_workers_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILER_WORKERS", raising=False)
    assert settings.reload().mailer_workers == 16
    monkeypatch.setenv("MAILER_WORKERS", "4")
    assert settings.reload().mailer_workers == 4
