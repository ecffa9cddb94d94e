"""A token bucket that hands out send times: at most `rate` sends a second, `burst` of them at once.

It is the generic cell rate algorithm: each send reserves the next slot and moves the
theoretical arrival time one interval on, so a caller learns when it may send. A send
that went later than its slot says so, and the slots after it count from then. Pure: the
caller passes the time (any clock in seconds, never going back). Over any window of w
seconds at most rate * w + burst sends go, at their slots or later.
"""

from __future__ import annotations

import math


class TokenBucket:
    def __init__(self, rate: float, burst: int = 1) -> None:
        if not rate > 0 or not math.isfinite(rate):
            raise ValueError(f"the rate must be a positive number, not {rate!r}")
        if burst < 1:
            raise ValueError(f"the burst must be at least 1, not {burst!r}")
        self.rate = rate
        self.burst = burst
        self._interval = 1 / rate
        self._tolerance = (burst - 1) * self._interval
        self._arrival = -math.inf

    def reserve(self, now: float) -> float:
        """The time at which this send may go: `now` when a token is left, else the next free slot."""
        arrival = max(self._arrival, now)
        self._arrival = arrival + self._interval
        return max(now, arrival - self._tolerance)

    def sent(self, at: float) -> None:
        """The last reserved send went at `at`: if late, the sends after it may not close up on it."""
        self._arrival = max(self._arrival, at + self._interval)
