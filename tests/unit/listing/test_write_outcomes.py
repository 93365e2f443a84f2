"""The outcomes of a bulk listing write (issue 17, no copy-paste between commands): price
and stock updates build their columns, their dry-run plan and their per-product results
through one set of helpers in ``commands/listing/_common.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import ozonctl
from ozonctl.catalog.index import CatalogEntry
from ozonctl.cli.output import Column
from ozonctl.commands.listing._common import plan_outcomes, run_outcomes, write_columns

LISTING = Path(ozonctl.__file__).parent / "commands" / "listing"
A = CatalogEntry(1, "A-1", 11, "a", False, None)
B = CatalogEntry(2, "B-2", 0, "b", False, None)


def test_the_columns_are_the_offer_the_writes_own_then_result_and_note() -> None:
    cols = write_columns(Column("stock", "Stock", justify="right"))
    assert [c.key for c in cols] == ["offer_id", "stock", "result", "note"]


def test_a_dry_run_plans_what_would_be_sent_and_leaves_the_rest_unchanged() -> None:
    extra = [{"stock": 5}, {"stock": 7}]
    every = plan_outcomes([A, B], extra)
    assert [(o.result, o.extra) for o in every] == [
        ("planned", {"stock": 5}),
        ("planned", {"stock": 7}),
    ]
    some = plan_outcomes([A, B], extra, {1})
    assert [o.result for o in some] == ["unchanged", "planned"]
    assert [o.row()["offer_id"] for o in some] == ["A-1", "B-2"]


def test_a_run_gives_each_product_its_note_or_already_so() -> None:
    got = run_outcomes([A, B], {1: ("failed", "refused")}, [{}, {"stock": 7}])
    assert [(o.result, o.note) for o in got] == [("unchanged", "already so"), ("failed", "refused")]
    assert got[1].row()["stock"] == 7


def _outcome_calls(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        1
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Outcome"
    )


def test_price_and_stock_build_no_outcomes_of_their_own() -> None:
    assert _outcome_calls(LISTING / "price.py") == 0
    assert _outcome_calls(LISTING / "stock.py") == 0
