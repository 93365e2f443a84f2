"""``/v1/analytics/data`` (metrics by SKU and period) and ``/v1/analytics/turnover/stocks``
(FBO days of cover)."""

from __future__ import annotations

from pydantic import Field

from ozonctl.client.models.common import Dec, Int64, Lenient, Strict

FREE_METRICS = ("revenue", "ordered_units")
"""The metrics every seller gets; the others need Premium Plus or Premium Pro."""
FREE_DIMENSIONS = ("sku", "spu", "day", "week", "month")
MAX_METRICS = 14
MAX_LIMIT = 1000


class AnalyticsFilter(Strict):
    key: str
    op: str = "EQ"
    value: str


class AnalyticsSort(Strict):
    key: str
    order: str = "DESC"


class AnalyticsQuery(Strict):
    """The request: a period (``YYYY-MM-DD`` both ends), up to 14 metrics, the grouping."""

    date_from: str
    date_to: str
    metrics: list[str]
    dimension: list[str]
    filters: list[AnalyticsFilter] = Field(default_factory=list)
    sort: list[AnalyticsSort] = Field(default_factory=list)
    limit: int = MAX_LIMIT
    offset: int = 0


class Dimension(Lenient):
    id: str = ""
    name: str = ""


class AnalyticsRow(Lenient):
    dimensions: list[Dimension] = Field(default_factory=list)
    metrics: list[Dec] = Field(default_factory=list)
    """One value per requested metric, in the order asked."""


class AnalyticsResult(Lenient):
    data: list[AnalyticsRow] = Field(default_factory=list)
    totals: list[Dec] = Field(default_factory=list)


class AnalyticsData(Lenient):
    result: AnalyticsResult = AnalyticsResult()
    timestamp: str = ""


class TurnoverItem(Lenient):
    """One product's FBO turnover: ``ads`` average units sold a day over 60 days,
    ``idc`` days the current stock lasts at that rate."""

    sku: Int64 = 0
    offer_id: str = ""
    name: str = ""
    current_stock: Int64 = 0
    ads: Dec | None = None
    idc: Dec | None = None
    idc_grade: str = ""
    turnover: Dec | None = None
    turnover_grade: str = ""


class TurnoverPage(Lenient):
    items: list[TurnoverItem] = Field(default_factory=list)
