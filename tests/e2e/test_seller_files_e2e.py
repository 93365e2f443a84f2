"""Seller files end to end: what ``show --csv`` writes, the importers read back unchanged;
Ozon's own Russian template, saved by Russian Excel, sets stock by warehouse name."""

from __future__ import annotations

import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_listing_delist import spawn  # the real process, its output not read

pytestmark = pytest.mark.e2e

MOSCOW = 1020000901234000


def offers(ozonctl: Any, n: int) -> list[str]:
    assert ozonctl("sync").exit_code == 0
    rows = ozonctl("listing", "list", "--limit", str(n), "--json").json()
    return [r["offer_id"] for r in rows]


def shown_csv(ozonctl: Any, what: str, some: list[str], tmp_path: Path) -> tuple[str, Path]:
    """What ``listing WHAT show … --csv`` prints, and a file of it."""
    shown = ozonctl("listing", what, "show", *some, "--csv", "-")
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
    r = ozonctl("listing", "stock", "import", "--yes", str(file), "--json")
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
    r = ozonctl("listing", "price", "import", "--yes", str(file), "--json")
    assert r.exit_code == 0, r.stderr
    assert [i["result"] for i in r.json()["items"]] == ["unchanged"] * len(some)
    assert sandbox.requests("/v1/product/import/prices") == []
    again = ozonctl("listing", "price", "show", *some, "--csv", "-")
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
    r = ozonctl("listing", "stock", "import", "--yes", str(file), "--json")
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
    r = ozonctl("listing", "stock", "import", "--yes", str(file))
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "not a header" in r.stderr
    assert sandbox.requests("/v2/products/stocks") == []


def kill_after_first_step(proc: subprocess.Popen[str], home: Path, kind: str) -> None:
    """Kill ``proc`` (kill -9) a second after its journal planned its first batches."""
    deadline = time.monotonic() + 60
    while not list(home.rglob(f"journal/listing/{kind}-*/00001-planned.toml")):
        assert time.monotonic() < deadline and proc.poll() is None, "no batch was planned"
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(3.0)  # the held batches complete on the sandbox side


@pytest.mark.sandbox_args("--products", "1200", "--fault", "/v2/products/stocks=slow:3000:8")
def test_killed_stock_import_and_rerun_send_each_pair_once(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    """8 batches (the client's concurrency) are held by the sandbox; the run is killed
    with the 9th and 10th planned but not sent and the rest not planned. The rerun reads
    back the planned pairs and sends only those Ozon does not have, then the rest."""
    assert ozonctl("sync").exit_code == 0
    shown = ozonctl("listing", "stock", "show", "--json").json()
    assert len(shown) > 1000, "needs more than 10 batches"
    file = tmp_path / "stock.tsv"
    file.write_text(
        "offer_id\twarehouse_id\tstock\n"
        + "".join(f"{r['offer_id']}\t{r['warehouse_id']}\t{r['free_stock'] + 3}\n" for r in shown),
        encoding="utf-8",
    )
    proc = spawn(sandbox, ozonctl_home, "listing", "stock", "import", "--yes", str(file))
    kill_after_first_step(proc, ozonctl_home, "stock-import")
    first = len(sandbox.requests("/v2/products/stocks"))
    assert 0 < first < (len(shown) + 99) // 100, "the kill came too late"
    r = ozonctl("listing", "stock", "import", "--yes", str(file), "--json")
    assert r.exit_code == 0, r.stderr[-2000:]
    assert "resumed interrupted run" in r.stderr
    results = {i["result"] for i in r.json()["items"]}
    assert results <= {"updated", "unchanged"} and "TOO_MANY" not in r.stdout
    sent = [
        (s["offer_id"], s["warehouse_id"])
        for e in sandbox.requests("/v2/products/stocks")
        for s in e["body"]["stocks"]
    ]
    assert len(sent) == len(set(sent)) == len(shown), "a pair was sent twice (or never)"
    after = {
        (r["offer_id"], r["warehouse_id"]): r["free_stock"]
        for r in ozonctl("listing", "stock", "show", "--json").json()
    }
    assert all(after[(r["offer_id"], r["warehouse_id"])] == r["free_stock"] + 3 for r in shown)


@pytest.mark.sandbox_args("--products", "1200", "--fault", "/v1/product/import/prices=slow:3000:1")
def test_killed_price_import_and_rerun_change_each_price_once(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    """One batch at a time: the first (1000 prices) is held, the run killed before the
    others go. The rerun finds the first batch's prices set and sends only the rest
    (each price change counts against Ozon's 10 an hour)."""
    assert ozonctl("sync").exit_code == 0
    assert ozonctl("config", "set", "concurrency", "1").exit_code == 0
    shown = ozonctl("listing", "price", "show", "--json").json()
    assert len(shown) > 1000
    file = tmp_path / "prices.csv"
    file.write_text(
        "offer_id;price;old_price;min_price\n"
        + "".join(f"{r['offer_id']};{Decimal(r['price']) + 1};0;0\n" for r in shown),
        encoding="utf-8",
    )
    proc = spawn(sandbox, ozonctl_home, "listing", "price", "import", str(file), "--yes")
    kill_after_first_step(proc, ozonctl_home, "price-import")
    assert len(sandbox.requests("/v1/product/import/prices")) == 1
    r = ozonctl("listing", "price", "import", str(file), "--yes", "--json")
    assert r.exit_code == 0, r.stderr[-2000:]
    assert "resumed interrupted run" in r.stderr
    counts = r.json()["counts"]
    assert counts == {"unchanged": 1000, "updated": len(shown) - 1000}
    # the rerun sent one request, for the prices the killed run never sent (the log
    # keeps the first bytes of a body only: its requests are counted)
    assert len(sandbox.requests("/v1/product/import/prices")) == 2
    assert "TOO_MANY" not in r.stdout


@pytest.mark.parametrize("what", ["stock", "price"])
def test_excel_files_round_trip_through_the_importers(
    sandbox: Any, ozonctl: Any, tmp_path: Path, what: str
) -> None:
    """``--excel`` (UTF-8 with a BOM, ';', a decimal comma: what Russian Excel opens) is
    read back by the importer as the same values: nothing changes at Ozon."""
    some = offers(ozonctl, 6)
    file = tmp_path / f"{what}.csv"
    shown = ozonctl("listing", what, "show", *some, "--excel", str(file))
    assert shown.exit_code == 0, shown.stderr
    raw = file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfoffer_id;")
    before = ozonctl("listing", what, "show", *some, "--json").json()
    r = ozonctl("listing", what, "import", str(file), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert ozonctl("listing", what, "show", *some, "--json").json() == before
    if what == "price":
        assert ",00;" in raw.decode("utf-8-sig")  # a decimal comma
        assert [i["result"] for i in r.json()["items"]] == ["unchanged"] * len(some)
        assert sandbox.requests("/v1/product/import/prices") == []
