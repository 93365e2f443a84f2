"""Token buckets: one per Client-Id shared by every client in the process, plus one per
method with its own limit. Thread-safe; ``acquire`` blocks until a token is free."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar


class TokenBucket:
    """``rate`` tokens a second, at most ``capacity`` saved up.

    ``anchored=False`` models a bucket at the server that starts to refill only when
    the first request reaches it, which is later than ours sends it: tokens past the
    saved-up ones are then timed from ``anchor`` (called when the first answer comes
    back, an upper bound of that arrival) instead of from our first send. Without it,
    the request after a full burst reaches Ozon up to one trip early and meets a 429.
    A caller that would wait for the anchor waits at most one token's time, then
    anchors the bucket itself (an answer that slow means the request had arrived)."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        anchored: bool = True,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = clock() if anchored else None
        self._lock = threading.Lock()
        self._anchored = threading.Event()
        self._anchor_at = 0.0
        if anchored:
            self._anchored.set()

    def _reserve(self) -> tuple[float, bool]:
        """Take a token (possibly going into debt): ``(seconds to wait, False)``, or
        ``(tokens owed, True)`` when the wait counts from the anchor, not yet known."""
        with self._lock:
            now = self._clock()
            if self._last is not None:
                elapsed = now - self._last
                self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
                self._last = now
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0, False
            if self._last is None:
                return -self._tokens, True
            return -self._tokens / self.rate, False

    def acquire(self) -> float:
        """Block until a token is available; return the time waited."""
        wait, owed = self._reserve()
        if owed:
            return self._after_anchor(wait)
        if wait > 0:
            self._sleep(wait)
        return wait

    def _after_anchor(self, owed: float) -> float:
        started = self._clock()
        if not self._anchored.wait(1.0 / self.rate):
            self.anchor()
        wait = max(0.0, self._anchor_at + owed / self.rate - self._clock())
        if wait > 0:
            self._sleep(wait)
        return self._clock() - started

    def anchor(self) -> None:
        """The first answer came back: start refilling now (no-op once anchored)."""
        with self._lock:
            if self._last is None:
                self._last = self._anchor_at = self._clock()
                self._anchored.set()

    def at_most(self, tokens: int) -> None:
        """The server says ``tokens`` requests are left: count on no more (at 0 the next
        caller waits one token's time instead of meeting a 429)."""
        with self._lock:
            if self._last is not None:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
            self._tokens = min(self._tokens, float(tokens))

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
        sleep: Callable[[float], None] = time.sleep,
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
                # Ozon's bucket starts refilling when our first request reaches it, a
                # trip later than we sent it: the tokens past the minute's worth are
                # timed from our first answer (an anchored bucket), so the request after
                # the burst never reaches Ozon before its token does.
                self.method_buckets[path] = TokenBucket(
                    per_min / 60.0, per_min, anchored=False, sleep=sleep
                )

    def acquire(self, path: str) -> None:
        method = self.method_buckets.get(path)
        if method is not None:
            method.acquire()
        if self.global_bucket is not None:
            self.global_bucket.acquire()

    def answered(self, path: str, remaining: int | None = None) -> None:
        """A request to ``path`` reached Ozon (an answer, of any status, came back);
        ``remaining``: its ``Ratelimit-Remaining``, the requests Ozon still allows that
        method, which caps the tokens of the bucket that paces it (the method's own, else
        the shared one). Without a bucket (the limiter off) it is not used."""
        method = self.method_buckets.get(path)
        if method is not None:
            method.anchor()
        if remaining is not None:
            bucket = method if method is not None else self.global_bucket
            if bucket is not None:
                bucket.at_most(remaining)

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
