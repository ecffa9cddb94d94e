"""A background loop that polls something until stopped, as Lambda's event source mappings do."""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger("orders_local.polling")
# How often the stream and queue pollers look when idle; the most a change waits to be picked up.
EVENT_SOURCE_INTERVAL = 0.2


class Poller:
    """Calls poll_once() every `interval` seconds on a daemon thread; stop() ends it and waits for it."""

    name = "poller"
    # Wait an interval before the first poll (a schedule), rather than poll at once (a queue or stream).
    wait_first = False

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"orders-local-{self.name}", daemon=True)

    def poll_once(self) -> int:
        """Handles what is waiting; answers how many records or messages it handled."""
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        if self.wait_first and self._stop.wait(self.interval):
            return
        while not self._stop.is_set():
            try:
                busy = self.poll_once()
            except Exception:
                logger.exception("%s failed", self.name)
                busy = 0
            if not busy:
                self._stop.wait(self.interval)
