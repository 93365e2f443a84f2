"""The retry policy as a table: (what happened, read/write, attempt, …) → what next."""

from __future__ import annotations

from typing import Any

import pytest

from ozonctl.client._retry import (
    DROPPED,
    NOT_SENT,
    RAISE,
    REFUSED,
    RETURN,
    TIMED_OUT,
    TOO_LARGE,
    UNKNOWN,
    Decision,
    Event,
    decide,
)


def retry(seconds: float) -> Decision:
    return Decision("retry", seconds)


R, W = False, True  # read, write

# (event, write, attempt, extra keyword arguments, decision); backoff without jitter:
# 0.5, 1, 2, 4, 8 s
TABLE: list[tuple[Event, bool, int, dict[str, Any], Decision]] = [
    # good answers
    (200, R, 0, {}, RETURN),
    (200, W, 3, {}, RETURN),
    (204, W, 0, {}, RETURN),
    # redirects are errors, never retried, never a good answer (issue 23.2)
    (301, R, 0, {}, RAISE),
    (302, W, 0, {}, RAISE),
    (304, R, 0, {}, RAISE),
    (308, W, 0, {}, RAISE),
    # 429: resent, reads and writes alike (Ozon did not run it)
    (429, R, 0, {}, retry(0.5)),
    (429, W, 0, {}, retry(0.5)),
    (429, W, 2, {}, retry(2.0)),
    (429, W, 0, {"retry_after": 3.0}, retry(3.0)),
    (429, R, 1, {"step": 0.75}, retry(12.0)),  # a per-minute method: 16 tokens' time
    (429, W, 3, {"step": 0.75}, retry(48.0)),
    (429, W, 4, {"step": 0.75}, RAISE),  # max_retries used up
    (429, R, 0, {"retry_after": 3600.0}, RAISE),  # asks for longer than the cap
    (429, R, 4, {}, RAISE),
    # Ozon's rate-limit code on another status: a read is resent, a write never
    (400, R, 0, {"code": 8}, retry(0.5)),
    (400, W, 0, {"code": 8}, RAISE),
    (500, R, 0, {"code": 8}, retry(0.5)),
    (500, W, 0, {"code": 8}, UNKNOWN),  # issue 23.6: an archive went out 5 times
    (503, W, 0, {"code": 8, "retry_after": 1.0}, UNKNOWN),
    # 5xx: reads retried, writes may have run
    (500, R, 0, {}, retry(0.5)),
    (502, R, 1, {}, retry(1.0)),
    (503, R, 0, {"retry_after": 5.0}, retry(5.0)),
    (503, R, 0, {"retry_after": 600.0}, retry(60.0)),  # waits at most the cap
    (504, R, 4, {}, RAISE),
    (500, W, 0, {}, UNKNOWN),
    (502, W, 0, {}, UNKNOWN),
    # other 4xx: raised at once
    (400, R, 0, {}, RAISE),
    (401, W, 0, {}, RAISE),
    (403, R, 0, {}, RAISE),
    (404, R, 0, {}, RAISE),
    (409, W, 0, {}, RAISE),
    (410, R, 0, {}, RAISE),
    # no answer
    (NOT_SENT, R, 0, {}, retry(0.5)),
    (NOT_SENT, W, 0, {}, retry(0.5)),  # surely not run
    (NOT_SENT, W, 4, {}, RAISE),
    (REFUSED, R, 0, {}, RAISE),  # nothing listens on loopback: no point waiting
    (REFUSED, W, 0, {}, RAISE),
    (TIMED_OUT, R, 0, {}, retry(0.5)),
    (TIMED_OUT, W, 0, {}, UNKNOWN),
    (DROPPED, R, 3, {}, retry(4.0)),
    (DROPPED, W, 0, {}, UNKNOWN),
    (DROPPED, R, 4, {}, RAISE),
    (TOO_LARGE, R, 0, {}, RAISE),
    (TOO_LARGE, W, 0, {}, UNKNOWN),
]


@pytest.mark.parametrize(
    ("event", "write", "attempt", "extra", "expected"),
    TABLE,
    ids=[f"{e}-{'write' if w else 'read'}-{a}-{x}" for e, w, a, x, _ in TABLE],
)
def test_the_retry_table(
    event: Event, write: bool, attempt: int, extra: dict[str, Any], expected: Decision
) -> None:
    got = decide(event, write=write, attempt=attempt, max_retries=4, rand=lambda: 0.0, **extra)
    assert got == expected


def test_every_status_of_a_write_other_than_429_is_never_retried() -> None:
    for status in range(200, 600):
        for code in (None, 8, 3):
            got = decide(status, write=True, attempt=0, code=code, rand=lambda: 0.0)
            assert (got.action == "retry") == (status == 429), (status, code)


def test_jitter_takes_at_most_a_quarter_off() -> None:
    assert decide(500, write=False, attempt=1, rand=lambda: 1.0) == retry(0.75)
