"""Token buckets with a fake clock: the rate holds, bursts are bounded, 429 penalises."""

from __future__ import annotations

import threading
import time

from ozonctl.client.ratelimit import RateLimiter, TokenBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_bucket_holds_the_rate_after_the_burst() -> None:
    t = FakeTime()
    bucket = TokenBucket(50, 10, clock=t.clock, sleep=t.sleep)
    for _ in range(510):
        bucket.acquire()
    # 10 free from the burst, the other 500 at 50/s
    assert abs(t.now - 10.0) < 1e-6


def test_bucket_refills_over_time() -> None:
    t = FakeTime()
    bucket = TokenBucket(10, 5, clock=t.clock, sleep=t.sleep)
    for _ in range(5):
        assert bucket.acquire() == 0
    t.now += 1.0
    for _ in range(5):
        assert bucket.acquire() == 0
    assert bucket.acquire() > 0


def test_penalty_holds_callers_back() -> None:
    t = FakeTime()
    bucket = TokenBucket(10, 1, clock=t.clock, sleep=t.sleep)
    bucket.penalize(2.0)
    bucket.acquire()
    assert t.now >= 2.0


def test_limiter_shares_one_bucket_per_client_id() -> None:
    a = RateLimiter("shared-id", 50, burst=10)
    b = RateLimiter("shared-id", 50, burst=10)
    c = RateLimiter("other-id", 50, burst=10)
    assert a.global_bucket is b.global_bucket
    assert a.global_bucket is not c.global_bucket


def test_limiter_off_without_rps() -> None:
    limiter = RateLimiter("x", None, burst=10)
    assert limiter.global_bucket is None
    limiter.acquire("/v1/anything")


def test_per_method_limit_paces_that_method_only() -> None:
    limiter = RateLimiter("pm", None, burst=1, per_minute={"/v2/products/stocks": 80})
    bucket = limiter.method_buckets["/v2/products/stocks"]
    assert abs(bucket.rate - 80 / 60) < 1e-9
    assert bucket.capacity == 80  # a minute's worth at once, then 80 a minute
    assert abs(limiter.throttled("/v2/products/stocks") - 0.75) < 1e-9  # type: ignore[operator]
    assert bucket.capacity == 1  # after a 429: steady pacing, no burst
    assert limiter.throttled("/v1/product/archive") is None


def test_a_second_is_spent_at_once_until_ozon_answers_429() -> None:
    limiter = RateLimiter("calm-id", 50, burst=50)
    bucket = limiter.global_bucket
    assert bucket is not None and bucket.capacity == 50  # a second's worth at once
    limiter.backoff(0.0)  # a 429 came back: Ozon does not allow the burst
    assert bucket.capacity == 1


def test_an_unanchored_bucket_times_tokens_past_the_burst_from_the_first_answer() -> None:
    t = FakeTime()
    bucket = TokenBucket(2.0, 3, clock=t.clock, sleep=t.sleep, anchored=False)
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]  # the burst, at once
    t.now = 0.4  # the first answer comes back 0.4 s after the burst was sent
    bucket.anchor()
    t.now = 0.5
    bucket.anchor()  # later answers change nothing
    # the 4th and 5th: one and two tokens' time (0.5 s each) after the anchor, not after
    # the burst (0.5 s and 1.0 s): a bucket at the server that started 0.4 s late has
    # its tokens by then
    assert bucket.acquire() == 0.4  # waits from 0.5 to 0.9
    assert t.now == 0.9
    assert abs(bucket.acquire() - 0.5) < 1e-9 and abs(t.now - 1.4) < 1e-9


def test_callers_past_the_burst_wait_for_the_first_answer() -> None:
    bucket = TokenBucket(20.0, 2, anchored=False)  # a token every 50 ms
    bucket.acquire()
    bucket.acquire()
    waited: list[float] = []
    callers = [threading.Thread(target=lambda: waited.append(bucket.acquire())) for _ in range(2)]
    started = time.monotonic()
    for c in callers:
        c.start()
    time.sleep(0.02)
    assert waited == []  # no answer yet: nobody goes
    anchor = time.monotonic()
    bucket.anchor()
    for c in callers:
        c.join(5)
    # one and two tokens' time after the answer (50 and 100 ms), not after the burst
    assert time.monotonic() - anchor >= 0.1 - 0.005
    assert time.monotonic() - started < 1.0


def test_without_any_answer_a_caller_anchors_the_bucket_after_one_tokens_time() -> None:
    bucket = TokenBucket(20.0, 1, anchored=False)
    bucket.acquire()
    started = time.monotonic()
    bucket.acquire()  # no answer ever comes: 50 ms for the anchor, then 50 ms for a token
    assert 0.1 - 0.005 <= time.monotonic() - started < 1.0


def test_the_limiter_anchors_a_method_bucket_on_its_first_answer() -> None:
    limiter = RateLimiter("anchor-id", None, burst=1, per_minute={"/v2/products/stocks": 80})
    bucket = limiter.method_buckets["/v2/products/stocks"]
    assert not bucket._anchored.is_set()
    limiter.answered("/v1/product/archive")  # another method: not this bucket
    assert not bucket._anchored.is_set()
    limiter.answered("/v2/products/stocks")
    assert bucket._anchored.is_set()
