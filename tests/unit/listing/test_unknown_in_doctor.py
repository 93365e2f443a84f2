"""The listing journals record their unknown outcomes as ``doctor`` reads them (issue
23.3): an archive whose write timed out and was never seen to land, a stock import with a
batch that timed out. ``doctor`` names both operations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from listing_fake import FakeOzon


def _unknown_journals(cli: Any) -> dict[str, str]:
    r = cli("doctor", "--offline", "--json")
    checks = [c for c in r.json()["checks"] if c["check"] == "journal"]
    return {c["detail"].split(" (started")[0]: c["detail"] for c in checks}


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    from ozonctl.domain import archiving as _archiving

    monkeypatch.setattr(_archiving, "sleep", lambda _s: None, raising=False)


def test_doctor_names_an_archive_whose_write_outcome_is_unknown(
    fake: FakeOzon, cli: Any, no_wait: None
) -> None:
    def timeout(path: str) -> None:
        if path == "/v1/product/archive":
            raise httpx.ReadTimeout("timed out")

    fake.hook = timeout
    r = cli("listing", "archive", "OF-00001", "OF-00002", "--yes", "--json")
    assert r.json()["ref"], r.stderr
    assert not fake.products[1001].archived
    found = _unknown_journals(cli)
    key = f"listing archive {r.json()['ref']}"
    assert key in found, found
    assert "2 outcome(s) are unknown" in found[key]


def test_doctor_names_a_stock_import_with_an_unknown_batch(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    calls = {"n": 0}

    def second_batch_times_out(path: str) -> None:
        if path == "/v2/products/stocks":
            calls["n"] += 1
            if calls["n"] == 2:
                raise httpx.ReadTimeout("timed out")

    fake.hook = second_batch_times_out
    csv = tmp_path / "s.csv"
    csv.write_text(
        "offer_id;stock\n" + "".join(f"OF-{i:05d};{i}\n" for i in range(150)), encoding="utf-8"
    )
    r = cli("listing", "stock", "import", "--yes", str(csv), "--json")
    assert r.exit_code == 3, r.stderr
    found = _unknown_journals(cli)
    key = f"listing stock-import {r.json()['ref']}"
    assert key in found, found
    assert "50 outcome(s) are unknown" in found[key]
