"""Finance reads: accruals day by day (concurrent, in date order), accruals of postings,
the accrual type catalogue, the realization report, the cash-flow statement and the
balance report (split into the ≤30-day periods the method takes, see BALANCE_MAX_SPAN).

The ``/v3/finance/transaction/*`` methods are switched off and never called here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from ozonctl.client import endpoints
from ozonctl.client.batching import chunked
from ozonctl.client.models.common import adapter
from ozonctl.client.models.finance import (
    Accrual,
    AccrualType,
    Balance,
    BalancePeriod,
    BalanceReport,
    CashFlow,
    DayAccruals,
    PostingAccruals,
    RealizationReport,
)
from ozonctl.client.resources._base import Resource
from ozonctl.concurrency import ordered_map

BALANCE_MAX_SPAN = 30
"""``/v1/finance/balance``: "the longest period between date_from and date_to is 30
days", i.e. ``date_to - date_from <= 30`` (31 calendar days, so any month in one call).
If Ozon ever counts both ends, make this 29: it is the only place that knows."""
CASH_FLOW_PAGE_SIZE = 1000


def split_period(start: dt.date, end: dt.date, max_span: int) -> list[tuple[dt.date, dt.date]]:
    """``start..end`` (both included) as the fewest consecutive windows whose
    ``to - from`` is at most ``max_span`` days."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    windows = []
    step = dt.timedelta(days=max_span)
    while start <= end:
        stop = min(end, start + step)
        windows.append((start, stop))
        start = stop + dt.timedelta(days=1)
    return windows


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


class FinanceResource(Resource):
    # -- accruals ---------------------------------------------------------------------------
    def accrual_types(self) -> list[AccrualType]:
        raw = self._call("finance.accrual.types", {})
        items = raw.get("accrual_types") if isinstance(raw, dict) else None
        return [AccrualType.model_validate(t) for t in items or []]

    def accruals_of_day(self, day: dt.date) -> DayAccruals:
        """Every accrual of ``day`` as ``Accrual`` models: one call per page, paging by
        ``last_id``; a page's accruals are validated together."""
        accruals: list[Accrual] = []
        pages = 0
        for page in self._pages("finance.accrual.by_day", {"date": day.isoformat()}):
            pages += 1
            accruals += adapter(list[Accrual]).validate_python(page.items)
        return DayAccruals(day=day, accruals=accruals, pages=pages)

    def accruals_by_day(
        self, start: dt.date, end: dt.date, *, workers: int | None = None
    ) -> Iterator[DayAccruals]:
        """Each day of ``start..end`` in date order, read ``workers`` days at a time
        (default: the client's concurrency) under the shared rate limiter."""
        return ordered_map(
            self.accruals_of_day,
            days_between(start, end),
            workers=workers or self._client.concurrency,
        )

    def posting_accruals(self, posting_numbers: Sequence[str]) -> Iterator[PostingAccruals]:
        """Accruals of the given postings, 200 postings a call."""
        limit = endpoints.get("finance.accrual.postings").max_items or 200
        for batch in chunked(list(dict.fromkeys(posting_numbers)), limit):
            raw = self._call("finance.accrual.postings", {"posting_numbers": batch})
            for item in (raw.get("posting_accruals") if isinstance(raw, dict) else None) or []:
                yield PostingAccruals.model_validate(item)

    # -- reports ----------------------------------------------------------------------------
    def realization(self, year: int, month: int) -> RealizationReport:
        raw = self._call("finance.realization", {"month": month, "year": year})
        result = raw.get("result") if isinstance(raw, dict) else None
        return RealizationReport.model_validate(result or {})

    def cash_flows(self, start: dt.datetime, end: dt.datetime) -> Iterator[CashFlow]:
        """The cash-flow statement's periods between two moments, page by page."""
        body = {
            "date": {"from": _rfc3339(start), "to": _rfc3339(end)},
            "with_details": False,
        }
        for raw in self._items(
            "finance.cash_flow", body, items_path="result.cash_flows", limit=CASH_FLOW_PAGE_SIZE
        ):
            yield CashFlow.model_validate(raw)

    def balance_period(self, window: tuple[dt.date, dt.date]) -> BalancePeriod:
        start, end = window
        raw = self._call(
            "finance.balance", {"date_from": start.isoformat(), "date_to": end.isoformat()}
        )
        return BalancePeriod(
            date_from=start, date_to=end, report=BalanceReport.model_validate(raw or {})
        )

    def balance(self, start: dt.date, end: dt.date, *, workers: int | None = None) -> Balance:
        """The balance report over ``start..end``: one call per window of at most
        ``BALANCE_MAX_SPAN`` days, the parts combined."""
        windows = split_period(start, end, BALANCE_MAX_SPAN)
        parts = list(
            ordered_map(self.balance_period, windows, workers=workers or self._client.concurrency)
        )
        return Balance.combine(parts)


def _rfc3339(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    text = moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
