"""``ozonctl.domain.analytics``: the day's ledger (Moscow day, a new day starts at zero, a
corrupt file is moved aside), the cache (an answer about today is reused for an hour,
about past days for a day) and the budget check before any request."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ozonctl.client.models.account import SellerInfo
from ozonctl.client.models.analytics import AnalyticsData, AnalyticsQuery
from ozonctl.domain.analytics import Analytics, Ledger, moscow_day
from ozonctl.errors import OzonctlError

NOW = dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC)  # 23:30 in Moscow


class FakeClient:
    def __init__(self, tier: str = "UNSPECIFIED") -> None:
        self.sent: list[dict[str, Any]] = []
        self.asked_tier = 0

        def seller_info() -> SellerInfo:
            self.asked_tier += 1
            return SellerInfo.model_validate({"subscription": {"type": tier}})

        def data(query: AnalyticsQuery) -> AnalyticsData:
            self.sent.append(query.body())
            rows = [{"dimensions": [{"id": "2026-12-01"}], "metrics": [3, 300.5]}]
            return AnalyticsData.model_validate({"result": {"data": rows, "totals": [3, 300.5]}})

        self.account = SimpleNamespace(seller_info=seller_info)
        self.analytics = SimpleNamespace(data=data)


def query(to: str = "2026-12-01") -> AnalyticsQuery:
    return AnalyticsQuery(
        date_from="2026-11-01", date_to=to, metrics=["ordered_units", "revenue"], dimension=["day"]
    )


def test_the_day_is_moscows_and_a_new_day_starts_at_zero(tmp_path: Path) -> None:
    assert moscow_day(NOW) == dt.date(2026, 12, 7)
    assert moscow_day(NOW + dt.timedelta(hours=1)) == dt.date(2026, 12, 8)  # 00:30 MSK
    path = tmp_path / "budget.json"
    Ledger(path, dt.date(2026, 12, 7), used=49, tier="UNSPECIFIED").write()
    assert Ledger.read(path, dt.date(2026, 12, 7)).left == 1
    fresh = Ledger.read(path, dt.date(2026, 12, 8))
    assert (fresh.used, fresh.left, fresh.tier) == (0, 50, "UNSPECIFIED")
    assert Ledger(path, dt.date(2026, 12, 8), tier="PREMIUM_PLUS").left is None


def test_a_corrupt_ledger_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "budget.json"
    path.write_text("{not json")
    led = Ledger.read(path, dt.date(2026, 12, 7))
    assert led.used == 0 and not path.exists()
    assert [p.name.startswith("budget.json.corrupt") for p in tmp_path.iterdir()] == [True]


def test_answers_are_cached_and_counted_once(tmp_path: Path) -> None:
    client = FakeClient()
    said: list[str] = []
    a = Analytics(client, tmp_path, say=said.append, now=NOW)  # type: ignore[arg-type]
    assert a.plan([query()]) == 1 and "1 request(s) of the 50 left today" in said[-1]
    rows = list(a.rows(query()))
    assert [r.metrics for r in rows] == [[3, pytest.approx(300.5)]]
    later = Analytics(client, tmp_path, say=said.append, now=NOW + dt.timedelta(minutes=20))  # type: ignore[arg-type]
    assert later.plan([query()]) == 0 and "local cache" in said[-1]
    assert list(later.rows(query())) == rows
    assert len(client.sent) == 1 and later.ledger.used == 1
    assert client.asked_tier == 1  # the subscription is asked once a day
    tomorrow = Analytics(client, tmp_path, now=NOW + dt.timedelta(hours=23))  # type: ignore[arg-type]
    assert tomorrow.cached(query()) is not None  # about past days: reused for a day
    assert tomorrow.ledger.used == 0  # a new Moscow day
    stale = Analytics(client, tmp_path, now=NOW + dt.timedelta(hours=25))  # type: ignore[arg-type]
    assert stale.cached(query()) is None


def test_an_answer_about_today_is_reused_for_an_hour_only(tmp_path: Path) -> None:
    """Even after midnight: it was fetched before the day was over."""
    client = FakeClient()
    today = query(to="2026-12-07")
    list(Analytics(client, tmp_path, now=NOW).rows(today))  # type: ignore[arg-type]
    soon = Analytics(client, tmp_path, now=NOW + dt.timedelta(minutes=50))  # type: ignore[arg-type]
    assert soon.cached(today) is not None
    late = Analytics(client, tmp_path, now=NOW + dt.timedelta(minutes=70))  # type: ignore[arg-type]
    assert late.cached(today) is None


def test_a_plan_past_the_budget_is_refused_before_any_request(tmp_path: Path) -> None:
    client = FakeClient()
    Ledger(tmp_path / "budget.json", dt.date(2026, 12, 7), used=48).write()
    a = Analytics(client, tmp_path, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(OzonctlError, match=r"needs 3 analytics request.*2 of today's 50"):
        a.plan([query()], pages=3)
    assert client.sent == []
    assert json.loads((tmp_path / "budget.json").read_text())["used"] == 48
    premium = Analytics(FakeClient("PREMIUM_PRO"), tmp_path / "p", now=NOW)  # type: ignore[arg-type]
    assert premium.plan([query()], pages=300) == 300  # no daily limit with Premium Pro


def test_two_runs_at_once_share_the_days_budget(tmp_path: Path) -> None:
    """Both planned with one request left; the second counts from the file and stops."""
    client = FakeClient()
    Ledger(tmp_path / "budget.json", dt.date(2026, 12, 7), used=49, tier="UNSPECIFIED").write()
    first = Analytics(client, tmp_path, now=NOW)  # type: ignore[arg-type]
    second = Analytics(client, tmp_path, now=NOW)  # type: ignore[arg-type]
    assert first.plan([query()]) == 1 and second.plan([query(to="2026-11-30")]) == 1
    list(first.rows(query()))
    with pytest.raises(OzonctlError, match="nothing was sent"):
        list(second.rows(query(to="2026-11-30")))
    assert len(client.sent) == 1
    assert json.loads((tmp_path / "budget.json").read_text())["used"] == 50
