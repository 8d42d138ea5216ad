"""Where the rate limits count when no Redis is configured: this process's memory, as the
`limits` library's MemoryStorage, with its clean-up done seldom and finished.

MemoryStorage drops expired counters on a timer that it starts again 10 ms after any hit, and each
run walks every key it holds; a moving window's key is never dropped, only emptied, so the keys of
every pass seen since the start are walked a hundred times a second (after a reconnect storm, a
thousand phones'). The clean-up only frees memory: a window is judged by its timestamps when it is
read, so an expired hit never counts. Here it runs at most every SWEEP_SECONDS (an expired hit is
kept that much longer) and drops the windows it empties.

Registered with `limits` as a storage scheme of its own, ``swept-memory://`` (the config's
default for RATELIMIT_STORAGE_URI, meetingday/config.py). It replaces MemoryStorage's private
timer step (`limits` 5), which tests/test_rate_limits.py checks.
"""
from __future__ import annotations

import bisect
import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 5.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["swept-memory"]

    def _MemoryStorage__schedule_expiry(self) -> None:  # MemoryStorage's own timer step, slowed
        if not self.timer.is_alive():
            self.timer = threading.Timer(SWEEP_SECONDS, self.sweep)
            self.timer.daemon = True  # never holds the process up at exit
            self.timer.start()

    def sweep(self) -> None:
        """Drop the hits, windows and counters that have expired."""
        now = time.time()
        for key in list(self.events):
            with self.locks[key]:  # a hit on this key waits (MemoryStorage.acquire_entry holds it)
                events = self.events.get(key) or []
                kept = bisect.bisect_left(events, -now, key=lambda entry: -entry.expiry)  # newest first
                if kept:
                    self.events[key] = events[:kept]
                else:
                    self.events.pop(key, None)
                    self.locks.pop(key, None)
        for key in list(self.expirations):
            if self.expirations.get(key, now) <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)
