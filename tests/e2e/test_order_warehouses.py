"""Warehouses by name (issue 22) as real processes against the sandbox: ``order
warehouses`` (terminal, pipe, --json), and ``--warehouse NAME|ID`` wherever a warehouse
is asked (listing stock show/set, order list): a name in any case or a unique start of
it, unknown or ambiguous one line and exit 2, the list asked once a day."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from orders_support import api, bodies, run_in_terminal

pytestmark = pytest.mark.e2e

LIST = "/v2/warehouse/list"
SHENZHEN = 1_020_000_907_777_000
MOSCOW = 1_020_000_901_234_000


def test_order_warehouses_lists_id_name_scheme_status(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    rows = ozonctl("order", "warehouses", "--json").json()
    ozon = api(sandbox, LIST, {"limit": 200})["warehouses"]
    assert [(r["warehouse_id"], r["name"]) for r in rows] == [
        (int(w["warehouse_id"]), w["name"]) for w in ozon
    ]
    assert {r["name"]: r["scheme"] for r in rows}["Shenzhen rFBS"] == "rFBS"
    assert {r["scheme"] for r in rows} == {"FBS", "rFBS"} and {r["status"] for r in rows}
    piped = ozonctl("order", "warehouses")
    assert piped.exit_code == 0 and f"{SHENZHEN}\tShenzhen rFBS\trFBS\tcreated" in piped.stdout
    code, text = run_in_terminal(sandbox, ozonctl_home, "order", "warehouses")
    assert code == 0 and "Shenzhen rFBS" in text and "Scheme" in text
    # cached a day: ozonctl asked once for its three runs (the other call is the test's)
    assert len(sandbox.requests(LIST)) == 2


def test_warehouse_names_work_wherever_a_warehouse_is_asked(sandbox: Any, ozonctl: Any) -> None:
    shown = ozonctl("listing", "stock", "show", "--warehouse", "shenzhen", "--json").json()
    assert shown and {r["warehouse_id"] for r in shown} == {SHENZHEN}
    offer = shown[0]["offer_id"]
    r = ozonctl("listing", "stock", "set", offer, "4", "-w", "Склад Москва", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    sent = [s["warehouse_id"] for b in bodies(sandbox, "/v2/products/stocks") for s in b["stocks"]]
    assert [int(x) for x in sent] == [MOSCOW]
    listed = ozonctl("order", "list", "--warehouse", "Shenzhen rFBS", "--json").json()
    assert listed and {p["warehouse_id"] for p in listed} == {SHENZHEN}
    sent = bodies(sandbox, "/v4/posting/fbs/list")[-1]["filter"]["warehouse_ids"]
    assert [int(x) for x in sent] == [SHENZHEN]
    todo = ozonctl("order", "list", "--unfulfilled", "-w", str(MOSCOW), "--json").json()
    assert todo and {p["warehouse_id"] for p in todo} == {MOSCOW}


@pytest.mark.parametrize(
    ("typed", "says"), [("Склад Тверь", "no such warehouse"), ("склад", "several warehouses")]
)
def test_an_unknown_or_ambiguous_warehouse_is_one_line_and_exit_2(
    sandbox: Any, ozonctl: Any, typed: str, says: str
) -> None:
    for command in (("listing", "stock", "show"), ("order", "list")):
        r = ozonctl(*command, "--warehouse", typed)
        assert r.exit_code == 2 and r.stdout == ""
        line = r.stderr.strip()
        assert "\n" not in line and says in line and "Склад Москва (FBS)" in line
