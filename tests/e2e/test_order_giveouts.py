"""Return giveouts (issue 22) as real processes against the sandbox: the list (terminal,
pipe, --json) matches Ozon's, ``show`` lists the products as the shop's returns have them,
and the barcode comes as text, a PDF or a PNG file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from orders_support import api, run_in_terminal

pytestmark = pytest.mark.e2e


def test_giveouts_list_and_show(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    ozon = api(sandbox, "/v1/return/giveout/list", {"limit": 100})["giveouts"]
    r = ozonctl("order", "giveouts", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert [g["giveout_id"] for g in rows] == [g["giveout_id"] for g in ozon] != []
    assert {g["status"] for g in rows} <= {"CREATED", "APPROVED", "COMPLETED", "CANCELLED"}
    assert all(g["articles"] is None and g["total_articles"] >= 1 for g in rows)
    piped = ozonctl("order", "giveouts")
    first = rows[0]
    assert f"{first['giveout_id']}\t{first['status']}\t" in piped.stdout
    code, text = run_in_terminal(sandbox, ozonctl_home, "order", "giveouts")
    assert code == 0 and first["warehouse_name"] in text and "Products" in text

    shown = ozonctl("order", "giveouts", "show", str(first["giveout_id"]), "--json").json()
    assert shown["total_articles"] == first["total_articles"] == len(shown["articles"])
    assert shown["approved_articles"] == first["approved_articles"]
    returns = api(
        sandbox,
        "/v1/returns/list",
        {"limit": 500, "filter": {"logistic_return_date": {
            "time_from": "2026-01-01T00:00:00Z", "time_to": "2026-12-31T00:00:00Z"}}},
    )["returns"]  # fmt: skip
    returned = {r["product"]["name"] for r in returns}
    assert {a["name"] for a in shown["articles"]} <= returned
    assert {a["schema"] for a in shown["articles"]} <= {"FBS", "FBO"}
    r = ozonctl("order", "giveouts", "show", "999")
    assert r.exit_code == 1 and r.stderr.strip().count("\n") == 0


def test_the_giveout_barcode_as_text_pdf_and_png(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    code = api(sandbox, "/v1/return/giveout/barcode")["barcode"]
    assert ozonctl("order", "giveouts", "barcode").stdout.strip() == code
    assert ozonctl("order", "giveouts", "barcode", "--json").json() == {"barcode": code}
    pdf, png = tmp_path / "code.pdf", tmp_path / "code.PNG"
    r = ozonctl("order", "giveouts", "barcode", "--out", str(pdf))
    assert r.exit_code == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and code.encode() in pdf.read_bytes()
    r = ozonctl("order", "giveouts", "barcode", "-o", str(png), "--json")
    assert r.exit_code == 0 and r.json()["type"] == "png"
    assert png.read_bytes().startswith(b"\x89PNG")
    r = ozonctl("order", "giveouts", "barcode", "--out", str(tmp_path / "code.txt"))
    assert r.exit_code == 2 and ".pdf or .png" in r.stderr
    assert not (tmp_path / "code.txt").exists()
