"""The retry policy: a pure function of what happened to one attempt.

``decide(event, write=..., attempt=...)`` says what the send loop does next: return the
answer, retry after N seconds, or raise. ``event`` is the HTTP status of an answer, or
one of the transport events below when none came. The table, row by row (tests walk it):

====================================  =================  ================================
event                                 read               write
====================================  =================  ================================
2xx                                   return             return
3xx (redirects are never followed)    raise              raise
429                                   retry              retry (Ozon refused it: not run)
other 4xx carrying Ozon's code 8      retry              raise
other 4xx                             raise              raise
5xx, whatever its body (code 8 too)   retry              raise, outcome unknown
``NOT_SENT`` (connect failed)         retry              retry (it surely did not run)
``TOO_LARGE`` (answer past the cap)   raise              raise, outcome unknown
``REFUSED`` (nothing on loopback)     raise              raise
``TIMED_OUT`` / ``DROPPED`` (sent)    retry              raise, outcome unknown
====================================  =================  ================================

A retry waits ``Retry-After`` when the server gave one, else (a 429 on a method with a
per-minute limit) 8, 16, 32 … of its tokens' time, else ``backoff_delay``; never more
than ``MAX_RETRY_AFTER``. A ``Retry-After`` above that cap, or ``max_retries`` used up,
raises instead.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ozonctl.client import _constants as C

NOT_SENT: Final = "not sent"
"""The connection failed before the request left (connect error or timeout, pool)."""
REFUSED: Final = "refused"
"""A loopback address refused the connection: nothing listens there; waiting won't help."""
TIMED_OUT: Final = "timed out"
"""The request was sent; no answer came in time."""
DROPPED: Final = "dropped"
"""The request was sent; the connection closed before an answer."""
TOO_LARGE: Final = "too large"
"""An answer came whose body passed ``MAX_RESPONSE_BYTES``: not read."""

Event = int | Literal["not sent", "refused", "timed out", "dropped", "too large"]


@dataclass(frozen=True, slots=True)
class Decision:
    action: Literal["return", "retry", "raise"]
    wait: float = 0.0
    """Seconds to wait before resending (``retry`` only)."""
    may_have_run: bool = False
    """``raise`` of a write that may have been applied: never resent, the user checks."""


RETURN = Decision("return")
RAISE = Decision("raise")
UNKNOWN = Decision("raise", may_have_run=True)


def decide(
    event: Event,
    *,
    write: bool,
    attempt: int,
    max_retries: int = C.MAX_RETRIES,
    code: int | str | None = None,
    retry_after: float | None = None,
    step: float | None = None,
    rand: Callable[[], float] = random.random,
) -> Decision:
    """What to do after ``attempt`` (0 for the first send) ended in ``event``.

    ``code``: Ozon's error code from the body; ``retry_after``: the server's ask in
    seconds; ``step``: one token's time of the method's own per-minute limit, if any."""
    if isinstance(event, str):
        if event == REFUSED or (event == TOO_LARGE and not write):
            return RAISE
        if event != NOT_SENT and write:
            return UNKNOWN
        return _again(attempt, max_retries, None, rand)
    if 200 <= event < 300:
        return RETURN
    if event == 429 or (code == 8 and not write):
        if retry_after is not None and retry_after > C.MAX_RETRY_AFTER:
            return RAISE
        if retry_after is None and step is not None:
            retry_after = step * 8 * 2**attempt
        return _again(attempt, max_retries, retry_after, rand)
    if event >= 500:
        return UNKNOWN if write else _again(attempt, max_retries, retry_after, rand)
    return RAISE


def _again(
    attempt: int, max_retries: int, retry_after: float | None, rand: Callable[[], float]
) -> Decision:
    if attempt >= max_retries:
        return RAISE
    wait = retry_after if retry_after is not None else backoff_delay(attempt, rand)
    return Decision("retry", min(wait, C.MAX_RETRY_AFTER))


def backoff_delay(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """``min(0.5·2ⁿ, 8) × (1 − 0.25·random())``."""
    base = min(C.INITIAL_RETRY_DELAY * float(2**attempt), C.MAX_RETRY_DELAY)
    return base * (1 - 0.25 * rand())


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After-Ms``/``Retry-After`` (seconds or HTTP date)."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)
