"""Token buckets: the shared per-Client-Id limit and the per-method per-minute ones."""

from __future__ import annotations

import math
import threading
import time
from typing import NamedTuple


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

    def left(self) -> int:
        """Whole tokens left (``Ratelimit-Remaining``)."""
        return int(self._tokens)

    def seconds_to_next(self) -> int:
        """Whole seconds until a token is back (``Retry-After``), at least 1."""
        return max(1, math.ceil((1.0 - self._tokens) / self.rate))


OZON_RPS = 50
"""Ozon's limit for a method without one of its own: 50 requests a second per Client-Id."""


class Verdict(NamedTuple):
    """A call's fate: ``refused`` is the 429's message (None: it may go on);
    ``remaining`` the requests left for the method, ``retry_after`` seconds to wait."""

    refused: str | None = None
    remaining: int | None = None
    retry_after: int | None = None


class RateLimiter:
    """Ozon's limits: ``rps`` a second per Client-Id, plus ``per_minute`` per method.
    Every answer says what is left of the limit that counts for its method
    (``Ratelimit-Remaining``), a 429 how long to wait (``Retry-After``, seconds)."""

    def __init__(self, rps: float | None) -> None:
        self.rps = rps
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}

    def allow(self, client_id: str, path: str, per_minute: int | None) -> Verdict:
        """Take a token for the call, as Ozon counts: the method's own limit if it has
        one, else the shared one per Client-Id. Off (``rps`` None): every call goes on,
        and the header says the whole of Ozon's limit is left (none is counted)."""
        if self.rps is None:
            return Verdict(None, per_minute if per_minute is not None else OZON_RPS)
        now = time.monotonic()
        with self._lock:
            shared = self._bucket((client_id, ""), self.rps, self.rps)
            if not shared.take(now):
                return Verdict(
                    "You have reached request rate limit per second",
                    0,
                    shared.seconds_to_next(),
                )
            if per_minute is None:
                return Verdict(None, shared.left())
            method = self._bucket((client_id, path), per_minute, per_minute / 60.0)
            if not method.take(now):
                return Verdict(
                    f"You have reached request rate limit per minute for {path}",
                    0,
                    method.seconds_to_next(),
                )
            return Verdict(None, method.left())

    def _bucket(self, key: tuple[str, str], capacity: float, rate: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(max(capacity, 1.0), rate)
        return bucket
