"""How fast the mailer may send: the account's SES rate, and one throttle that a run's workers share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from orders_api import settings
from orders_api.adapters import ses
from orders_api.domain.token_bucket import TokenBucket
from orders_api.log import logger

# SES's sandbox rate, the lowest any account has: sending at it is never too fast.
DEFAULT_SEND_RATE = 1.0
# SES counts sends as they reach it, and threads and the network move each send by some
# milliseconds (tens under load): aiming 5% under the rate keeps any one second within it.
HEADROOM = 0.95


def send_rate() -> float:
    """SES_MAX_SEND_RATE when set; else the account's MaxSendRate; else, logged, the default.

    The mailer's throttle sends at HEADROOM times this rate.

    GetAccount is asked once per container; where it fails (not allowed, or moto, which does not
    implement it) each run logs why, asks again and sends at the default in the meantime.
    """
    configured = settings.current().ses_max_send_rate
    if configured is not None:
        return configured
    try:
        return ses.account_send_rate()
    except Exception:
        logger.warning(
            "SES send rate unknown; sending at the default rate",
            extra={"rate": DEFAULT_SEND_RATE},
            exc_info=True,
        )
        return DEFAULT_SEND_RATE


class Throttle:
    """A token bucket of one token: sends are spaced 1/rate apart, never above the rate in any second.

    Workers take turns: each waits for its slot holding the throttle, and the next slot counts
    from when that wait really ended, so a worker woken late is never followed too closely.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self._bucket = TokenBucket(rate)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Returns when the caller may send one email."""
        with self._lock:
            now = self._clock()
            slot = self._bucket.reserve(now)
            if slot > now:
                self._sleep(slot - now)
            self._bucket.sent(self._clock())
