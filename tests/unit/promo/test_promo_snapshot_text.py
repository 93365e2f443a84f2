"""The snapshot's TOML made a product at a time (``SnapshotText``): the file reads back
as the items, whatever they hold and whether or not they were added ahead."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from ozonctl.domain.promo_runs import SnapshotText, record_snapshot
from ozonctl.state.journal import Journal


def item(pid: int, name: str, price: str = "100.00") -> dict[str, Any]:
    return {
        "id": pid,
        "sku": 5000 + pid,
        "offer_id": f"OF-{pid}",
        "name": name,
        "price": price,
        "action_price": "",
        "max_action_price": "90.00",
        "stock": 0,
    }


NAMES = ['Чехол "чёрный" 6.5″', "back\\slash\tand tab", "line\nbreak", "\x7f\x00ctl", "", "#[x]"]


def test_the_text_reads_back_as_the_items_added_ahead_or_not() -> None:
    made = SnapshotText()
    items = [item(i, name) for i, name in enumerate(NAMES)]
    for it in items[:3]:
        made.add(it)
    made.add(item(4, "", price="1.00"))  # added with other values: rendered again
    assert tomllib.loads(made.toml(items)) == {"products": items}
    assert tomllib.loads(made.toml(items[:1])) == {"products": items[:1]}
    assert tomllib.loads(made.toml([])) == {"products": []}


def test_an_item_with_a_nested_value_is_refused() -> None:
    with pytest.raises(ValueError, match="plain values"):
        SnapshotText().toml([{"id": 1, "extra": {"a": 1}}])


def test_the_journal_step_holds_the_items(tmp_path: Path) -> None:
    op = Journal(tmp_path, "promo").new("leave")
    items = [item(i, name) for i, name in enumerate(NAMES)]
    made = SnapshotText()
    made.add(items[0])
    record_snapshot(op, items, made)
    on_disk = tomllib.loads((op.folder / "00000-snapshot.toml").read_text())
    assert on_disk == {"products": items}
    assert op.entries() == [(0, "snapshot", {"products": items})]
    (again,) = Journal(tmp_path, "promo").all()
    assert again.entries() == [(0, "snapshot", {"products": items})]
