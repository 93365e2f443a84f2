"""Analytics reads: one request each, so the caller (``ozonctl.domain.analytics``) can
count every request against Ozon's daily budget before it is sent."""

from __future__ import annotations

from collections.abc import Sequence

from ozonctl.client.models.analytics import AnalyticsData, AnalyticsQuery, TurnoverPage
from ozonctl.client.resources._base import Resource


class AnalyticsResource(Resource):
    def data(self, query: AnalyticsQuery) -> AnalyticsData:
        """One page of ``/v1/analytics/data`` (``query.limit`` rows from ``query.offset``)."""
        return AnalyticsData.model_validate(self._call("analytics.data", query.body()))

    def turnover(
        self, skus: Sequence[int] = (), *, limit: int = 1000, offset: int = 0
    ) -> TurnoverPage:
        """One page of ``/v1/analytics/turnover/stocks``."""
        body: dict[str, object] = {"limit": limit, "offset": offset}
        if skus:
            body["sku"] = [str(s) for s in skus]
        return TurnoverPage.model_validate(self._call("analytics.turnover", body))
