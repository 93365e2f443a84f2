"""Ozon's analytics methods under their budget: a local cache of answers and the day's
ledger of requests.

``/v1/analytics/data`` takes one request a minute and, without a Premium Plus or Premium
Pro subscription, 50 a day (OZON-NOTES.md); its traffic metrics (views, add-to-cart,
conversion) need Premium Plus or Pro. So every answer is kept in
``<cache>/analytics/answers/`` (one JSON file per request body, written atomically),
and ``budget.json`` there counts the requests sent on the current Moscow day (Ozon's
day). A command first works out how many requests it needs that the cache cannot
answer, says so, and refuses before sending anything when they would pass what is left
of the day (one line, exit 1). A 429 from Ozon saying the day's budget is gone
sets the ledger to the limit, so the next command refuses without asking. Each request
is counted from the file under a lock of its own (``budget.lock``) just before it is
sent, so two runs at once never pass the budget together.

The subscription comes from ``/v1/seller/info`` (``subscription.type``), asked at most
once a day and kept in the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError
from ozonctl.state.files import atomic_write_bytes, move_aside, read_regular

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.analytics import (
        AnalyticsData,
        AnalyticsQuery,
        AnalyticsRow,
        TurnoverItem,
    )

DAILY_BUDGET = 50
"""Requests a day to ``/v1/analytics/data`` without Premium Plus or Premium Pro."""
UNLIMITED_TIERS = frozenset({"PREMIUM_PLUS", "PREMIUM_PRO"})
MOSCOW = dt.timezone(dt.timedelta(hours=3))
FRESH_PAST = dt.timedelta(hours=24)
"""How long an answer about days before today is reused."""
FRESH_TODAY = dt.timedelta(hours=1)
"""How long an answer that includes today (still changing) is reused."""
PAGE = 1000


def pages_for(rows: int) -> int:
    """Requests a walk of ``rows`` rows takes (1,000 a page, at least one)."""
    return max(1, -(-rows // PAGE))


def moscow_day(now: dt.datetime) -> dt.date:
    return now.astimezone(MOSCOW).date()


@dataclass
class Ledger:
    """The day's count of ``/v1/analytics/data`` requests and the seller's tier."""

    path: Path
    day: dt.date
    used: int = 0
    tier: str | None = None
    tier_day: dt.date | None = None

    @classmethod
    def read(cls, path: Path, today: dt.date) -> Ledger:
        data: dict[str, Any] = {}
        try:
            data = json.loads(read_regular(path))
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            move_aside(path, f"unreadable ({exc})")
            data = {}
        day = _date(data.get("day"))
        tier_day = _date(data.get("tier_day"))
        tier = data.get("tier") if isinstance(data.get("tier"), str) else None
        used = data.get("used") if day == today and isinstance(data.get("used"), int) else 0
        return cls(path, today, int(used or 0), tier, tier_day)

    def write(self) -> None:
        data = {
            "day": self.day.isoformat(),
            "used": self.used,
            "tier": self.tier,
            "tier_day": self.tier_day.isoformat() if self.tier_day else None,
        }
        atomic_write_bytes(self.path, json.dumps(data, indent=1).encode())

    @property
    def limit(self) -> int | None:
        """Requests allowed a day (None: no daily limit, Premium Plus or Pro)."""
        return None if self.tier in UNLIMITED_TIERS else DAILY_BUDGET

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


def _date(raw: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def query_key(query: AnalyticsQuery) -> str:
    body = json.dumps(query.body(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


class Analytics:
    """``/v1/analytics/data`` through the cache and the ledger, for one profile."""

    def __init__(
        self,
        client: OzonClient,
        folder: Path,
        *,
        refresh: bool = False,
        say: Callable[[str], None] = lambda _: None,
        now: dt.datetime | None = None,
    ) -> None:
        self.client = client
        self.folder = folder
        self.refresh = refresh
        self.say = say
        self.now = now or dt.datetime.now(dt.UTC)
        self.today = moscow_day(self.now)
        self.ledger = Ledger.read(folder / "budget.json", self.today)
        self.sent = 0
        self._asked = False
        """Whether this run asked Ozon for the subscription (``--refresh`` asks once)."""

    # -- the subscription -----------------------------------------------------------------
    @property
    def premium_plus(self) -> bool:
        """Whether the seller's subscription gives traffic metrics and no daily limit."""
        led = self.ledger
        if led.tier is None or led.tier_day != self.today or (self.refresh and not self._asked):
            self._asked = True
            info = self.client.account.seller_info()
            led.tier = info.subscription.type or "UNKNOWN"
            led.tier_day = self.today
            led.write()
        return led.tier in UNLIMITED_TIERS

    # -- the cache ------------------------------------------------------------------------
    def _answer_path(self, query: AnalyticsQuery) -> Path:
        return self.folder / "answers" / f"{query_key(query)}.json"

    def cached(self, query: AnalyticsQuery) -> AnalyticsData | None:
        from ozonctl.client.models.analytics import AnalyticsData

        if self.refresh:
            return None
        path = self._answer_path(query)
        try:
            stored = json.loads(read_regular(path))
            when = dt.datetime.fromisoformat(stored["stored"])
            data = AnalyticsData.model_validate(stored["answer"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            move_aside(path, f"unreadable ({exc})")
            return None
        # an answer that covered the day it was fetched on is incomplete, even after midnight
        partial = dt.date.fromisoformat(query.date_to) >= moscow_day(when)
        fresh = FRESH_TODAY if partial else FRESH_PAST
        return data if dt.timedelta(0) <= self.now - when <= fresh else None

    def _store(self, query: AnalyticsQuery, data: AnalyticsData) -> None:
        stored = {
            "stored": self.now.isoformat(),
            "query": query.body(),
            "answer": data.model_dump(mode="json"),
        }
        atomic_write_bytes(self._answer_path(query), json.dumps(stored).encode())

    # -- spending -------------------------------------------------------------------------
    def plan(self, queries: list[AnalyticsQuery], pages: int = 1) -> int:
        """Say how many requests ``queries`` (``pages`` each, estimated) need that the
        cache cannot answer, and refuse when they would pass the day's budget."""
        needed = sum(pages for q in queries if self.cached(q) is None)
        if needed == 0:
            self.say("analytics: answered from the local cache (no request to Ozon)")
            return 0
        self.premium_plus  # noqa: B018 - reads the tier into the ledger
        left = self.ledger.left
        if left is None:
            self.say(
                f"analytics: {needed} request(s) to Ozon (no daily limit with your "
                f"subscription; one a minute)"
            )
        else:
            self.check(needed)
            self.say(
                f"analytics: {needed} request(s) of the {left} left today "
                f"(Ozon allows {self.ledger.limit} a day without Premium Plus or Pro; "
                "one a minute)"
            )
        return needed

    def check(self, needed: int) -> None:
        left = self.ledger.left
        if left is not None and needed > left:
            raise OzonctlError(
                f"this needs {needed} analytics request(s) and {left} of today's "
                f"{self.ledger.limit} are left (Ozon's limit without Premium Plus or Pro); "
                "nothing was sent",
                hint="try again after midnight Moscow time, or ask for a shorter period "
                "or fewer products",
            )

    def fetch(self, query: AnalyticsQuery) -> AnalyticsData:
        """One page: from the cache, else one request counted in the ledger first."""
        from ozonctl.client.errors import PermissionDeniedError, RateLimitError
        from ozonctl.state.lock import StateLock

        hit = self.cached(query)
        if hit is not None:
            return hit
        self.folder.mkdir(parents=True, exist_ok=True)
        # counted under a lock of its own, from the file: two runs at once share the day
        with StateLock(self.folder / "budget.lock", wait=30, purpose="the analytics budget"):
            self.ledger = Ledger.read(self.ledger.path, self.today)
            self.check(1)
            self.ledger.used += 1
            self.ledger.write()
        self.sent += 1
        try:
            data = self.client.analytics.data(query)
        except PermissionDeniedError as exc:
            self.ledger.tier = None  # read the subscription again next time
            self.ledger.write()
            raise OzonctlError(
                f"Ozon refused the analytics request ({exc.message})",
                hint="views, add-to-cart and conversion need Premium Plus or Pro; run it "
                "again and ozonctl asks for what the subscription gives",
            ) from exc
        except RateLimitError as exc:
            if exc.retry_after is None or exc.retry_after <= 60:
                raise  # the one-a-minute limit, after the client's retries
            # a wait past the minute: the day's budget is gone (spent by other tools too)
            self.ledger.used = max(self.ledger.used, self.ledger.limit or 0)
            self.ledger.write()
            raise OzonctlError(
                f"Ozon refused the analytics request: today's budget is spent (it asks to "
                f"wait {int(exc.retry_after)} s)",
                hint="other tools on this Client-Id count too; try again after midnight "
                "Moscow time",
            ) from exc
        self._store(query, data)
        return data

    def rows(self, query: AnalyticsQuery) -> Iterator[AnalyticsRow]:
        """Every row across the pages (a short page ends the walk)."""
        offset = query.offset
        while True:
            page = self.fetch(query.model_copy(update={"offset": offset}))
            yield from page.result.data
            if len(page.result.data) < query.limit:
                return
            offset += query.limit

    # -- turnover (no daily budget; one request a minute) ------------------------------------
    def turnover(self) -> list[TurnoverItem]:
        """Every item of ``/v1/analytics/turnover/stocks`` (pages of 1,000), reused for
        ``FRESH_TODAY`` (today's stock changes)."""
        from ozonctl.client.models.analytics import TurnoverPage

        path = self.folder / "answers" / "turnover.json"
        if not self.refresh:
            try:
                stored = json.loads(read_regular(path))
                when = dt.datetime.fromisoformat(stored["stored"])
                if dt.timedelta(0) <= self.now - when <= FRESH_TODAY:
                    self.say("turnover: answered from the local cache (no request to Ozon)")
                    return TurnoverPage.model_validate(stored["answer"]).items
            except FileNotFoundError:
                pass
            except (OSError, ValueError, KeyError, TypeError) as exc:
                move_aside(path, f"unreadable ({exc})")
        items: list[TurnoverItem] = []
        while True:
            page = self.client.analytics.turnover(limit=PAGE, offset=len(items))
            items.extend(page.items)
            if len(page.items) < PAGE:
                break
        answer = TurnoverPage(items=items).model_dump(mode="json")
        stored = {"stored": self.now.isoformat(), "answer": answer}
        atomic_write_bytes(path, json.dumps(stored).encode())
        return items
