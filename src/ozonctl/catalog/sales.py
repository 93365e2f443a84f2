"""Sales history: units and revenue per SKU per day, from every posting: FBS/rFBS
(shipped by the seller) and FBO (shipped from Ozon's warehouses).

Stored in ``<cache>/profiles/<profile>/catalog/sales.toml`` as one line per posting line
(posting number, day, SKU, units, revenue), column-wise like the catalogue index. A sale
is a posting line that is not cancelled, dated by the posting's ``in_process_at`` (UTC).

``refresh`` is incremental: after a first full read of ``days`` days of
``/v4/posting/fbs/list`` and ``/v3/posting/fbo/list``, a later run asks for the FBS
postings whose status changed since the last refresh (``filter.last_changed_status_date``)
minus an overlap window, and, as the FBO list has no such filter, for the FBO postings
created in the last ``FBO_REVISIT`` before the last refresh. Those postings' lines are
replaced (a cancelled one loses them) and lines older than the window are dropped.

An empty answer is not trusted: a scheme whose full read listed no posting is read in
full again by the next refresh (a history saved from a wrong, empty answer is repaired,
instead of making every product look unsold night after night), and a full read that
lists no posting at all never replaces a history that holds sales in the window
(an ``OzonctlError``; the file is kept).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ozonctl.catalog import columns as cols
from ozonctl.catalog.index import iso, parse_time, utcnow
from ozonctl.errors import OzonctlError
from ozonctl.state.files import move_aside

if TYPE_CHECKING:
    from collections.abc import Callable

    from ozonctl.client._base import BaseClient

COLUMNS = ("posting", "day", "sku", "units", "revenue")
DEFAULT_DAYS = 90
MAX_DAYS = 365
"""Ozon lists postings of at most a year per request."""
OVERLAP = dt.timedelta(hours=3)
"""Re-read postings changed this long before the last refresh (clock skew, late updates)."""
FBO_REVISIT = dt.timedelta(days=14)
"""FBO postings created this long before the last refresh are read again (their status
may still change: a cancellation takes the sale out)."""
DEFAULT_MAX_AGE = dt.timedelta(hours=6)
CANCELLED = frozenset({"cancelled", "canceled"})
SCHEMES = ("fbs", "fbo")


class SaleLine(NamedTuple):
    posting: str
    day: dt.date
    sku: int
    units: int
    revenue: Decimal


def sales_path(folder: Path) -> Path:
    """The history in a profile's catalogue folder (``<cache>/profiles/<profile>/catalog``)."""
    return folder / "sales.toml"


def _decimal(value: Any) -> Decimal:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def posting_lines(posting: dict[str, Any]) -> list[SaleLine]:
    """The sale lines of one raw posting (none when cancelled or undated)."""
    number = str(posting.get("posting_number") or "")
    if str(posting.get("status") or "").lower() in CANCELLED:
        return []
    when = parse_time(posting.get("in_process_at") or posting.get("created_at"))
    if when is None or not number:
        return []
    out = []
    for p in posting.get("products") or []:
        try:
            sku, units = int(p.get("sku") or 0), int(p.get("quantity") or 0)
        except (TypeError, ValueError):
            continue
        if sku and units > 0:
            out.append(SaleLine(number, when.date(), sku, units, _decimal(p.get("price")) * units))
    return out


class SalesHistory:
    def __init__(
        self,
        lines: list[SaleLine] | None = None,
        *,
        since: dt.date | None = None,
        refreshed: dt.datetime | None = None,
        seen: Iterable[str] = (),
        path: Path | None = None,
    ) -> None:
        self.lines = lines or []
        self.since = since
        """First day covered (postings from this day on were read)."""
        self.refreshed = refreshed
        self.seen = frozenset(seen)
        """Schemes (``SCHEMES``) whose full read listed postings: refreshed incrementally;
        the others are read in full again."""
        self.path = path

    # -- storage ------------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> SalesHistory:
        loaded = cols.load(path, COLUMNS)
        if loaded is None:
            return cls(path=path)
        header, c = loaded
        try:
            days = {d: dt.date.fromisoformat(d) for d in set(c["day"])}
            lines = [
                SaleLine(posting, days[day], int(sku), int(units), Decimal(revenue))
                for posting, day, sku, units, revenue in zip(
                    c["posting"], c["day"], c["sku"], c["units"], c["revenue"], strict=True
                )
            ]
        except (KeyError, ValueError, InvalidOperation) as exc:  # a value of another kind
            move_aside(path, f"a value that is not what its column holds ({exc})")
            return cls(path=path)
        since = header.get("since")
        seen = header.get("schemes")
        if not isinstance(seen, list):  # written before FBO was read: FBS postings only
            seen = ["fbs"] if lines else []
        return cls(
            lines,
            since=dt.date.fromisoformat(since) if isinstance(since, str) else None,
            refreshed=parse_time(header.get("refreshed")),
            seen=(s for s in seen if s in SCHEMES),
            path=path,
        )

    @classmethod
    def load(cls, folder: Path) -> SalesHistory:
        """The history kept in the catalogue ``folder`` (empty when there is none)."""
        return cls.read(sales_path(folder))

    def write(self, path: Path | None = None) -> None:
        path = path or self.path
        if path is None:
            raise ValueError("no path to write the sales history to")
        self.path = path
        cols.write(
            path,
            {
                "count": len(self.lines),
                "since": self.since.isoformat() if self.since else None,
                "refreshed": iso(self.refreshed) if self.refreshed else None,
                "schemes": sorted(self.seen),
            },
            {
                "posting": (ln.posting for ln in self.lines),
                "day": (ln.day.isoformat() for ln in self.lines),
                "sku": (str(ln.sku) for ln in self.lines),
                "units": (str(ln.units) for ln in self.lines),
                "revenue": (str(ln.revenue) for ln in self.lines),
            },
        )

    # -- refreshing ------------------------------------------------------------------------
    def covers(self, days: int, today: dt.date) -> bool:
        return (
            self.refreshed is not None
            and self.since is not None
            and self.since <= today - dt.timedelta(days=days)
        )

    @classmethod
    def refresh(
        cls,
        folder: Path,
        client: BaseClient,
        days: int = DEFAULT_DAYS,
        *,
        full: bool = False,
        now: dt.datetime | None = None,
    ) -> SalesHistory:
        """Bring the history kept in ``folder`` up to date for the last ``days`` days and
        save it."""
        history = cls.load(folder)
        history.update(client, days, full=full, now=now)
        history.write(sales_path(folder))
        return history

    def update(
        self,
        client: BaseClient,
        days: int = DEFAULT_DAYS,
        *,
        full: bool = False,
        now: dt.datetime | None = None,
    ) -> int:
        """Read postings from Ozon into this history; return how many were read."""
        now = now or utcnow()
        today = now.date()
        window_start = today - dt.timedelta(days=days)
        incremental = not full and self.covers(days, today) and self.refreshed is not None
        since = window_start
        if incremental and self.since is not None:  # keep a wider coverage, up to a year
            since = max(min(self.since, window_start), today - dt.timedelta(days=MAX_DAYS))
        seen = self.seen if incremental else frozenset()
        changed_from = fbo_from = None
        if self.refreshed is not None:
            if "fbs" in seen:
                changed_from = self.refreshed - OVERLAP
            if "fbo" in seen:
                fbo_from = max(since, (self.refreshed - FBO_REVISIT).date())
        walks = {
            "fbs": _walk(client, since, now, changed_from),
            "fbo": _walk_fbo(client, fbo_from or since, now),
        }
        replaced: dict[str, list[SaleLine]] = {}
        listed = set()
        for scheme, postings in walks.items():
            for raw in postings:
                listed.add(scheme)
                replaced[str(raw.get("posting_number") or "")] = posting_lines(raw)
        if not incremental and not replaced and any(ln.day >= since for ln in self.lines):
            had = sum(1 for ln in self.lines if ln.day >= since)
            raise OzonctlError(
                f"Ozon listed no postings since {since}, while the sales history holds "
                f"{had} sale lines of those days; kept the history",
                hint="run it again later",
            )
        kept = []
        if incremental:
            kept = [ln for ln in self.lines if ln.posting not in replaced and ln.day >= since]
        for new_lines in replaced.values():
            kept.extend(ln for ln in new_lines if ln.day >= since)
        kept.sort(key=lambda ln: (ln.day, ln.posting, ln.sku))
        self.lines = kept
        self.since = since
        self.refreshed = now
        self.seen = seen | listed
        self.__dict__.pop("_by_sku", None)
        return len(replaced)

    @classmethod
    def ensure(
        cls,
        folder: Path,
        client: Callable[[], BaseClient],
        days: int = DEFAULT_DAYS,
        *,
        say: Callable[[str], None] | None = None,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
    ) -> SalesHistory:
        """The history kept in ``folder``, refreshed first when older than ``max_age``,
        when it does not reach ``days`` days back, or when it holds no sale (maybe from a
        wrong answer); ``client()`` is called only then, ``say`` tells the user."""
        history = cls.load(folder)
        now = utcnow()
        fresh = history.refreshed is not None and now - history.refreshed <= max_age
        fresh = fresh and bool(history.lines)
        if not (fresh and history.covers(days, now.date())):
            if say is not None:
                say("refreshing the sales history…")
            history = cls.refresh(folder, client(), days)
        return history

    # -- reading ----------------------------------------------------------------------
    @cached_property
    def _by_sku(self) -> dict[int, dict[dt.date, tuple[int, Decimal]]]:
        out: dict[int, dict[dt.date, tuple[int, Decimal]]] = defaultdict(dict)
        for ln in self.lines:
            days = out[ln.sku]
            units, revenue = days.get(ln.day, (0, Decimal(0)))
            days[ln.day] = (units + ln.units, revenue + ln.revenue)
        return dict(out)

    def last_sale(self, sku: int) -> dt.date | None:
        days = self._by_sku.get(sku)
        return max(days) if days else None

    def units_by_day(
        self, skus: set[int], since: dt.date, to: dt.date
    ) -> dict[int, dict[dt.date, tuple[int, Decimal]]]:
        """``{sku: {day: (units, revenue)}}`` for days in ``[since, to]`` with sales."""
        out: dict[int, dict[dt.date, tuple[int, Decimal]]] = {}
        for sku in skus:
            days = self._by_sku.get(sku)
            if days:
                picked = {d: v for d, v in days.items() if since <= d <= to}
                if picked:
                    out[sku] = picked
        return out

    def skus(self) -> Iterable[int]:
        return self._by_sku.keys()


def _walk(
    client: BaseClient, since: dt.date, now: dt.datetime, changed_from: dt.datetime | None
) -> Iterator[dict[str, Any]]:
    """FBS postings created from ``since`` to ``now`` (changed from ``changed_from``)."""
    flt: dict[str, Any] = {
        "since": f"{since.isoformat()}T00:00:00Z",
        "to": iso(now),
    }
    if changed_from is not None:
        flt["last_changed_status_date"] = {"from": iso(changed_from), "to": iso(now)}
    yield from _postings(client, "posting.fbs.list", {"filter": flt, "sort_dir": "ASC"})


def _walk_fbo(client: BaseClient, since: dt.date, now: dt.datetime) -> Iterator[dict[str, Any]]:
    """FBO postings created from ``since`` to ``now`` (the list has no status filter)."""
    flt = {"since": f"{since.isoformat()}T00:00:00Z", "to": iso(now)}
    yield from _postings(client, "posting.fbo.list", {"filter": flt, "sort_dir": "ASC"})


def _postings(client: BaseClient, method: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from ozonctl.client import endpoints
    from ozonctl.client.pagination import iter_items

    for raw in iter_items(client, endpoints.get(method), body, items_path="postings"):
        if isinstance(raw, dict):
            yield raw
