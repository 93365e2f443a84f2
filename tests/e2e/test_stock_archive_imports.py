"""``listing stock import``, ``listing stock set`` and ``listing archive`` as real
processes. They read and write through the pydantic models of every other command (issue
17.2: one model family; the archive's plain-JSON card and price readers, and with them
this file's check that the archive imports no pydantic, went: see docs/performance.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WAREHOUSE = 1020000901234000


def test_stock_writes_and_an_archive_work(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    assert ozonctl("sync").exit_code == 0
    rows = ozonctl("listing", "list", "--limit", "6", "--json").json()
    offers = [r["offer_id"] for r in rows]
    csv = tmp_path / "stock.csv"
    csv.write_text(
        "offer_id,warehouse_id,stock\n"
        + "".join(f"{o},{WAREHOUSE},{7 + k}\n" for k, o in enumerate(offers[:3])),
        encoding="utf-8",
    )
    r = ozonctl("listing", "stock", "import", str(csv), "--yes", "--json")
    assert r.exit_code == 0, r.stderr[-2000:]
    assert [i["result"] for i in r.json()["items"]] == ["updated"] * 3
    assert sandbox.get(f"/__sandbox/state/product/{offers[2]}")["present"][0] == 9

    r = ozonctl("listing", "stock", "set", offers[3], "5", "-w", str(WAREHOUSE), "--yes")
    assert r.exit_code == 0, r.stderr[-2000:]

    file = tmp_path / "archive.txt"
    file.write_text("\n".join(offers[4:]) + "\n", encoding="utf-8")
    r = ozonctl("listing", "archive", "--from-file", str(file), "--yes", "--json")
    assert r.exit_code == 0, r.stderr[-2000:]
    assert [i["result"] for i in r.json()["items"]] == ["archived"] * 2
    for offer in offers[4:]:
        assert sandbox.get(f"/__sandbox/state/product/{offer}")["archived"] is True
