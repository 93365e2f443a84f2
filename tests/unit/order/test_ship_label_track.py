"""``order ship`` (packages, re-read outcome), ``order label`` and ``order track``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_ozon import SKU_A, SKU_B, FakeOzon, posting

from ozonctl.client.models.postings import PostingProduct
from ozonctl.commands.order.ship import plan_packages
from ozonctl.errors import UsageError

TWO = [(SKU_A, "offer-a", 3), (SKU_B, "offer-b", 1)]


def products() -> list[PostingProduct]:
    return [PostingProduct(sku=s, offer_id=o, quantity=q) for s, o, q in TWO]


def test_plan_packages_spec_forms() -> None:
    assert plan_packages(products(), []) == [[(SKU_A, 3), (SKU_B, 1)]]
    assert plan_packages(products(), [f"{SKU_A}:1", f"{SKU_A}:2,offer-b"]) == [
        [(SKU_A, 1)],
        [(SKU_A, 2), (SKU_B, 1)],
    ]
    # units not named go into one more package
    assert plan_packages(products(), [f"{SKU_A}:1"]) == [[(SKU_A, 1)], [(SKU_A, 2), (SKU_B, 1)]]
    assert plan_packages(products(), [str(SKU_B)]) == [[(SKU_B, 1)], [(SKU_A, 3)]]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"{SKU_A}:4", "more units"),
        ("999:1", "not in this posting"),
        (f"{SKU_A}:0", "positive"),
        (f"{SKU_A}:x", "positive"),
        (":2", "no SKU"),
        (",", "empty"),
    ],
)
def test_plan_packages_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_packages(products(), [spec])


def test_ship_split_reports_every_resulting_posting(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("21-1-1", products=TWO))
    res = cli(
        "order",
        "ship",
        "--yes",
        "21-1-1",
        "--package",
        f"{SKU_A}:2",
        "--package",
        f"{SKU_A}:1,{SKU_B}:1",
        "--json",
    )
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    assert doc["counts"] == {"shipped": 2} and doc["ref"] is None and doc["dry_run"] is False
    assert [(p["posting_number"], p["status"], p["outcome"]) for p in doc["items"]] == [
        ("21-1-1", "awaiting_deliver", "shipped"),
        ("21-1-2", "awaiting_deliver", "shipped"),
    ]
    assert ozon.bodies("/v4/posting/fbs/ship")[0]["packages"] == [
        {"products": [{"product_id": SKU_A, "quantity": 2}]},
        {"products": [{"product_id": SKU_A, "quantity": 1}, {"product_id": SKU_B, "quantity": 1}]},
    ]
    gets = [b["posting_number"] for b in ozon.bodies("/v3/posting/fbs/get")]
    assert gets == ["21-1-1", "21-1-1", "21-1-2"]  # before, then every resulting posting


def test_ship_failed_substatus_is_reported_not_success(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("22-1-1"))
    ozon.ship_fails.add("22-1-1")
    res = cli("order", "ship", "--yes", "22-1-1")
    assert res.exit_code == 1
    assert res.stdout.split("\t")[:4] == [
        "22-1-1",
        "awaiting_packaging",
        "ship_failed",
        "ship_failed",
    ]
    assert "did not ship 22-1-1 (substatus ship_failed)" in res.stderr and "again" in res.stderr


def test_ship_refuses_a_posting_not_awaiting_packaging(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("23-1-1", "awaiting_deliver"))
    res = cli("order", "ship", "--yes", "23-1-1")
    assert res.exit_code == 1 and "not awaiting_packaging" in res.stderr
    assert ozon.bodies("/v4/posting/fbs/ship") == []


def test_ship_dry_run_sends_nothing(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("24-1-1", products=TWO))
    res = cli("order", "ship", "24-1-1", "--package", f"{SKU_B}", "--dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines() == [f"1\t{SKU_B}:1", f"2\t{SKU_A}:3"]
    assert ozon.bodies("/v4/posting/fbs/ship") == []


def test_ship_timeout_rereads_and_does_not_resend(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("25-1-1"))
    ozon.fail("/v4/posting/fbs/ship", httpx.ReadTimeout("slow"))
    res = cli("order", "ship", "--yes", "25-1-1", "--json")
    assert res.exit_code == 1
    assert res.json()["counts"] == {"pending": 1} and res.json()["items"][0]["note"]
    assert len(ozon.bodies("/v4/posting/fbs/ship")) == 1
    assert "not shipped yet" in res.stderr and "order show 25-1-1" in res.stderr


def test_label_writes_pdf_and_lists_unprinted(cli: Any, ozon: FakeOzon, tmp_path: Path) -> None:
    ozon.add(posting("31-1-1", "awaiting_deliver"), posting("31-2-1", "awaiting_packaging"))
    out = tmp_path / "labels.pdf"
    res = cli("order", "label", "31-1-1", "31-2-1", "-o", str(out), "--json")
    assert res.exit_code == 3, res.stderr
    assert out.read_bytes().startswith(b"%PDF")
    doc = res.json()
    assert doc["printed"] == 1 and doc["unprinted"] == [
        {"posting_number": "31-2-1", "message": "wrong status"}
    ]
    assert ozon.bodies("/v3/posting/fbs/package-label/create") == [
        {"posting_numbers": ["31-1-1", "31-2-1"]}
    ]
    assert {b["task_id"] for b in ozon.bodies("/v2/posting/fbs/package-label/get")} == {500}


def test_label_over_100_postings_writes_one_merged_pdf(
    cli: Any, ozon: FakeOzon, tmp_path: Path
) -> None:
    import pypdf

    numbers = [f"32-{i}-1" for i in range(130)]
    ozon.add(*(posting(n, "awaiting_deliver") for n in numbers))
    ozon.label_polls = 1
    res = cli("order", "label", *numbers, "-o", str(tmp_path / "l.pdf"), "--json")
    assert res.exit_code == 0, res.stderr
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["l.pdf"]
    sizes = [len(b["posting_numbers"]) for b in ozon.bodies("/v3/posting/fbs/package-label/create")]
    assert sizes == [100, 30]
    pages = pypdf.PdfReader(tmp_path / "l.pdf", strict=True).pages
    assert len(pages) == 130 and res.json()["pages"] == 130
    assert [p.extract_text().splitlines()[1] for p in pages] == numbers  # in the order asked


def test_a_label_file_that_is_not_a_pdf_writes_nothing(
    cli: Any, ozon: FakeOzon, tmp_path: Path
) -> None:
    ozon.add(posting("34-1-1", "awaiting_deliver"))
    ozon.label_file_body = b"<html>a proxy's page</html>"
    res = cli("order", "label", "34-1-1", "-o", str(tmp_path / "x.pdf"))
    assert res.exit_code == 1 and "not a readable PDF" in res.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_label_nothing_printed_exits_1(cli: Any, ozon: FakeOzon, tmp_path: Path) -> None:
    ozon.add(posting("33-1-1"))
    res = cli("order", "label", "33-1-1", "-o", str(tmp_path / "x.pdf"))
    assert res.exit_code == 1 and "no labels printed" in res.stderr
    assert res.stdout == "33-1-1\twrong status\n"
    assert not (tmp_path / "x.pdf").exists()


def test_track_one_and_from_file(cli: Any, ozon: FakeOzon, tmp_path: Path) -> None:
    ozon.add(*(posting(f"41-{i}-1") for i in range(25)))
    res = cli("order", "track", "--yes", "41-0-1", "RR1")
    assert res.exit_code == 0 and res.stdout == "41-0-1\tRR1\ttrue\t\n"
    assert ozon.postings["41-0-1"]["tracking_number"] == "RR1"
    csv_file = tmp_path / "t.csv"
    csv_file.write_text(
        "posting_number;tracking_number\n"
        + "".join(f"41-{i}-1;T{i}\n" for i in range(1, 25))
        + "missing-1;T99\n"
    )
    res = cli("order", "track", "--yes", "--from-file", str(csv_file), "--json")
    assert res.exit_code == 3
    rows = res.json()
    assert len(rows) == 25 and [r["posting_number"] for r in rows if not r["ok"]] == ["missing-1"]
    assert ozon.postings["41-24-1"]["tracking_number"] == "T24"
    sizes = sorted(
        len(b["tracking_numbers"]) for b in ozon.bodies("/v2/fbs/posting/tracking-number/set")
    )
    assert sizes == [1, 5, 20]
    assert "1 of 25" in res.stderr


def test_track_bad_input(cli: Any, ozon: FakeOzon, tmp_path: Path) -> None:
    assert cli("order", "track", "--yes", "41-0-1").exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,1\na,2\n")
    res = cli("order", "track", "--yes", "--from-file", str(bad))
    assert res.exit_code == 2 and "also on line 1" in res.stderr
    res = cli("order", "track", "41-0-1", "X", "--dry-run")
    assert res.exit_code == 0 and ozon.bodies("/v2/fbs/posting/tracking-number/set") == []
