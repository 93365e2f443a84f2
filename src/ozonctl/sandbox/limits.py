"""Token buckets: the shared per-Client-Id limit and the per-method per-minute ones."""

from __future__ import annotations

import threading
import time


class TokenBucket:
    """``capacity`` tokens, refilled at ``rate`` a second; ``take`` never blocks."""

    __slots__ = ("_stamp", "_tokens", "capacity", "rate")

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self._tokens = capacity
        self._stamp = time.monotonic()

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self._stamp)  # ``now`` may predate the bucket
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._stamp = max(now, self._stamp)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class RateLimiter:
    """Ozon's limits: ``rps`` a second per Client-Id, plus ``per_minute`` per method."""

    def __init__(self, rps: float | None) -> None:
        self.rps = rps
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def allow(self, client_id: str, path: str, per_minute: int | None) -> str | None:
        """None when the call may go on, else the message of the 429 to send."""
        if self.rps is None:
            return None
        now = time.monotonic()
        with self._lock:
            shared = self._bucket((client_id, ""), self.rps, self.rps)
            if not shared.take(now):
                return "You have reached request rate limit per second"
            if per_minute is not None:
                method = self._bucket((client_id, path), per_minute, per_minute / 60.0)
                if not method.take(now):
                    return f"You have reached request rate limit per minute for {path}"
        return None

    def _bucket(self, key: tuple[str, str], capacity: float, rate: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(max(capacity, 1.0), rate)
        return bucket
