"""Token buckets: one per Client-Id shared by every client in the process, plus one per
method with its own limit. Thread-safe; ``acquire`` blocks until a token is free."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar


class TokenBucket:
    """``rate`` tokens a second, at most ``capacity`` saved up."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def _reserve(self) -> float:
        """Take a token (possibly going into debt); return how long to wait for it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0
            return -self._tokens / self.rate

    def acquire(self) -> float:
        """Block until a token is available; return the time waited."""
        wait = self._reserve()
        if wait > 0:
            self._sleep(wait)
        return wait

    def calm(self) -> None:
        """Spend no saved-up burst any more: capacity 1 and an empty bucket."""
        with self._lock:
            self.capacity = 1.0
            self._tokens = min(self._tokens, 0.0)

    def penalize(self, seconds: float) -> None:
        """After a 429: hold every caller back for ``seconds``."""
        with self._lock:
            self._tokens = min(self._tokens, 0.0) - seconds * self.rate


class RateLimiter:
    """The shared bucket of a Client-Id plus per-method buckets."""

    _shared: ClassVar[dict[tuple[str, float], TokenBucket]] = {}
    _shared_lock = threading.Lock()

    def __init__(
        self,
        client_id: str,
        rps: float | None,
        *,
        burst: int,
        per_minute: dict[str, int] | None = None,
    ) -> None:
        self.enabled = rps is not None and rps > 0
        self.global_bucket: TokenBucket | None = None
        if rps is not None and rps > 0:
            key = (client_id, rps)
            with self._shared_lock:
                bucket = self._shared.get(key)
                if bucket is None:
                    bucket = TokenBucket(rps, min(burst, rps))
                    self._shared[key] = bucket
            self.global_bucket = bucket
        self.method_buckets: dict[str, TokenBucket] = {}
        for path, per_min in (per_minute or {}).items():
            if per_min and per_min > 0:
                # A minute's worth may be spent at once (as Ozon's "80 a minute" reads and
                # aiolimiter-based clients do), then per_min a minute. If Ozon answers 429
                # it does not allow the burst: ``throttled`` drops it to steady pacing.
                # One token short of the minute's worth: the request after the burst
                # then leaves one token's time (0.75 s at 80/min) to the bucket at Ozon,
                # which started a little later (the first request's trip) and so is a
                # little behind ours.
                self.method_buckets[path] = TokenBucket(per_min / 60.0, max(1, per_min - 1))

    def acquire(self, path: str) -> None:
        method = self.method_buckets.get(path)
        if method is not None:
            method.acquire()
        if self.global_bucket is not None:
            self.global_bucket.acquire()

    def backoff(self, seconds: float) -> None:
        """After a 429: Ozon did not allow the burst, so no more bursts (steady pacing at
        the rate) and everyone waits ``seconds``."""
        if self.global_bucket is not None:
            self.global_bucket.calm()
            self.global_bucket.penalize(seconds)

    def throttled(self, path: str) -> float | None:
        """After a 429 on a method with its own limit: no more bursts of it (capacity 1,
        no tokens saved up) and the wait before resending, one token's time doubled per
        attempt by the caller; None when the method has no limit of its own."""
        bucket = self.method_buckets.get(path)
        if bucket is None:
            return None
        bucket.calm()
        return 1.0 / bucket.rate
