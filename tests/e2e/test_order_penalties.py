"""Penalties and the rating's history as real processes against the sandbox: the
postings that cost the FBS/rFBS error index sum to Ozon's processing costs, a seller's
cancel adds one, and the history comes as a table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from orders_support import api, unfulfilled

pytestmark = pytest.mark.e2e


def test_penalties_sum_to_the_sandboxs_ledger(sandbox: Any, ozonctl: Any) -> None:
    info = api(sandbox, "/v1/rating/index/fbs/info")
    r = ozonctl("order", "penalties", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert rows and {x["type"] for x in rows} <= {"SELLER_CANCELLATION", "SELLER_DELAY"}
    total = sum(Decimal(str(x["charge_price"])) for x in rows)
    assert total == Decimal(str(info["processing_costs_sum"])) > 0
    assert f"cost {total} RUB" in r.stderr and "error index" in r.stderr
    by_day: dict[str, Decimal] = {}
    for x in rows:
        day = x["at"][:10]
        by_day[day] = by_day.get(day, Decimal(0)) + Decimal(str(x["charge_price"]))
    assert by_day == {
        d["date"]: Decimal(str(d["processing_costs_sum_by_date"])) for d in info["defects"]
    }


def test_a_sellers_cancel_becomes_a_penalty(sandbox: Any, ozonctl: Any) -> None:
    before = {x["posting_number"] for x in ozonctl("order", "penalties", "--json").json()}
    number = next(
        p["posting_number"]
        for p in unfulfilled(sandbox, ["awaiting_packaging"])
        if p["posting_number"] not in before
    )
    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 0, r.stderr
    after = ozonctl("order", "penalties", "--json").json()
    mine = [x for x in after if x["posting_number"] == number]
    assert [x["type"] for x in mine] == ["SELLER_CANCELLATION"]
    r = ozonctl("order", "penalties", "--from", "2020-01-01", "--to", "2020-01-02", "--json")
    assert r.exit_code == 0 and r.json() == []


def test_rating_history_is_a_table(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("order", "rating", "--history", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    codes = {x["rating"] for x in rows}
    assert "rating_general_indicator_fbs_rfbs" in codes
    series = [x for x in rows if x["rating"] == "rating_on_time"]
    assert len(series) == 8 and all(x["date_from"] < x["date_to"] for x in series)
    sent = sandbox.requests("/v1/rating/history")[0]["body"]
    assert set(sent["ratings"]) == codes
