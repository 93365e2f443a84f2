"""``order show`` of an rFBS posting (issue 22) gives the buyer's delivery details Ozon
sends for postings the seller delivers (``customer``/``addressee``: name, phone, address,
the buyer's note), null for FBS; and ``order list --fbo`` has the same columns as the
FBS list, on a terminal and in a CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from orders_support import api, run_in_terminal

from ozonctl.cli.schemas import POSTING

pytestmark = pytest.mark.e2e


def test_show_gives_an_rfbs_postings_delivery_details(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    own = ozonctl("order", "list", "-w", "Shenzhen rFBS", "--json").json()
    fbs = ozonctl("order", "list", "-w", "Склад Казань", "--json").json()
    assert own and fbs
    assert all(p["buyer"] and p["address"] and p["buyer_phone"] for p in own)
    assert all(p["buyer"] is None and p["address"] is None for p in fbs)
    number = own[0]["posting_number"]
    ozon = api(sandbox, "/v3/posting/fbs/get", {"posting_number": number})["result"]
    shown = ozonctl("order", "show", number, "--json").json()
    assert list(shown) == POSTING.keys
    assert shown["buyer"] == ozon["addressee"]["name"]
    assert shown["buyer_phone"] == ozon["addressee"]["phone"]
    assert shown["address"] == ozon["customer"]["address"]["address_tail"]
    assert shown["address_comment"] == ozon["customer"]["address"]["comment"]
    piped = ozonctl("order", "show", number).stdout
    assert f"buyer\t{shown['buyer']}\n" in piped and f"address\t{shown['address']}\n" in piped
    assert "delivery\tДоставка продавцом" in piped
    code, text = run_in_terminal(sandbox, ozonctl_home, "order", "show", number)
    assert code == 0 and shown["address"] in text and shown["buyer_phone"] in text
    other = ozonctl("order", "show", fbs[0]["posting_number"]).stdout
    assert "buyer\t" not in other and "address\t" not in other


def header(text: str) -> list[str]:
    """A table's column names (a time column's zone left out: FBO has no ship-by)."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    line = next(ln for ln in plain.splitlines() if "Posting" in ln and "Status" in ln)
    return [re.sub(r" \(\w+\)$", "", h) for h in re.split(r"\s{2,}|│|\|", line.strip()) if h]


def test_fbo_list_has_the_fbs_lists_columns(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    heads = []
    for extra in ((), ("--fbo",)):
        target = tmp_path / f"list{len(extra)}.csv"
        r = ozonctl("order", "list", *extra, "--csv", str(target))
        assert r.exit_code == 0, r.stderr
        with target.open(encoding="utf-8", newline="") as f:
            heads.append(next(csv.reader(f)))
        code, text = run_in_terminal(sandbox, ozonctl_home, "order", "list", *extra)
        assert code == 0
        heads.append(header(text))
    assert heads[0] == heads[2] and set(heads[0]) <= set(POSTING.keys)  # the CSVs
    assert heads[1] == heads[3] and "Warehouse" in heads[1]  # the terminal tables
