"""``order track`` when Ozon's answer never came: the outcome is unknown, not "not set"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from fake_ozon import FakeOzon, posting

TRACK = "/v2/fbs/posting/tracking-number/set"


def test_a_timed_out_tracking_request_is_reported_unknown_and_not_resent(
    cli: Any, ozon: FakeOzon
) -> None:
    ozon.add(posting("51-0-1"))
    ozon.fail(TRACK, httpx.ReadTimeout("slow"))
    r = cli("order", "track", "--yes", "51-0-1", "RR1", "--json")
    assert r.exit_code == 1
    assert "unknown" in r.stderr and "no tracking number was set" not in r.stderr
    assert "order show" in r.stderr
    (row,) = r.json()
    assert row["ok"] is None and row["error"].startswith("outcome unknown")
    assert len(ozon.bodies(TRACK)) == 1  # never sent again


def test_some_set_some_unknown_is_a_partial_outcome(
    cli: Any, ozon: FakeOzon, tmp_path: Path
) -> None:
    ozon.add(*(posting(f"52-{i}-1") for i in range(25)))
    ozon.fail(TRACK, httpx.Response(503, json={"code": 14, "message": "unavailable"}))
    pairs = tmp_path / "t.csv"
    pairs.write_text("".join(f"52-{i}-1,T{i}\n" for i in range(25)))
    assert cli("config", "set", "concurrency", "1").exit_code == 0  # the 20 go first
    r = cli("order", "track", "--yes", "--from-file", str(pairs), "--json")
    assert r.exit_code == 3, r.stderr
    rows = r.json()
    unknown = [x for x in rows if x["ok"] is None]
    assert len(unknown) == 20 and sum(x["ok"] is True for x in rows) == 5
    assert "20 of 25" in r.stderr and "unknown outcome" in r.stderr
    assert "not set;" not in r.stderr
