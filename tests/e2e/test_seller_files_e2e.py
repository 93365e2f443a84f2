"""Seller files end to end: what ``show --csv`` writes, the importers read back unchanged;
Ozon's own Russian template, saved by Russian Excel, sets stock by warehouse name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

MOSCOW = 1020000901234000


def offers(ozonctl: Any, n: int) -> list[str]:
    assert ozonctl("sync").exit_code == 0
    rows = ozonctl("listing", "list", "--limit", str(n), "--json").json()
    return [r["offer_id"] for r in rows]


def shown_csv(ozonctl: Any, what: str, some: list[str], tmp_path: Path) -> tuple[str, Path]:
    """What ``listing WHAT show … --csv`` prints, and a file of it."""
    shown = ozonctl("listing", what, "show", *some, "--csv")
    assert shown.exit_code == 0, shown.stderr
    file = tmp_path / f"{what}.csv"
    file.write_text(shown.stdout, encoding="utf-8")
    return shown.stdout, file


def test_stock_show_csv_round_trips_through_stock_import(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    some = offers(ozonctl, 8)
    text, file = shown_csv(ozonctl, "stock", some, tmp_path)
    lines = text.splitlines()
    assert lines[0].startswith("offer_id,") and len(lines) > 2
    before = ozonctl("listing", "stock", "show", *some, "--json").json()
    r = ozonctl("listing", "stock", "import", str(file), "--json")
    assert r.exit_code == 0, r.stderr
    assert {i["result"] for i in r.json()["items"]} == {"updated"}
    assert len(r.json()["items"]) == len(lines) - 1
    after = ozonctl("listing", "stock", "show", *some, "--json").json()
    assert after == before


def test_price_show_csv_round_trips_through_price_import(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    some = offers(ozonctl, 8)
    text, file = shown_csv(ozonctl, "price", some, tmp_path)
    assert text.splitlines()[0] == "offer_id,product_id,price,old_price,min_price,currency"
    r = ozonctl("listing", "price", "import", str(file), "--json")
    assert r.exit_code == 0, r.stderr
    assert [i["result"] for i in r.json()["items"]] == ["unchanged"] * len(some)
    assert sandbox.requests("/v1/product/import/prices") == []
    again = ozonctl("listing", "price", "show", *some, "--csv")
    assert again.stdout == text


def test_ozons_russian_stock_template_from_excel(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    some = offers(ozonctl, 3)
    file = tmp_path / "остатки.csv"
    file.write_bytes(
        (
            "Склад;Артикул;Имя (необязательно);Количество\r\n"
            + "".join(f"Склад Москва (FBS);{o};;1 00{k}\r\n" for k, o in enumerate(some))
        ).encode("cp1251")
    )
    r = ozonctl("listing", "stock", "import", str(file), "--json")
    assert r.exit_code == 0, r.stderr
    sent = [s for e in sandbox.requests("/v2/products/stocks") for s in e["body"]["stocks"]]
    assert [(s["offer_id"], s["warehouse_id"], s["stock"]) for s in sent] == [
        (o, MOSCOW, 1000 + k) for k, o in enumerate(some)
    ]


def test_an_unknown_header_stops_the_cron_job_with_exit_2(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    some = offers(ozonctl, 2)
    file = tmp_path / "stock.csv"
    file.write_text("".join(f"{o};5\n" for o in some), encoding="utf-8")
    r = ozonctl("listing", "stock", "import", str(file))
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "not a header" in r.stderr
    assert sandbox.requests("/v2/products/stocks") == []
