"""The journaled changes of ``promo auto-add remove|undo`` and ``promo guard``:
``changes.run`` (snapshot, send, close the operation, one row per item) and the plan
``auto-add`` prints instead of sending (``autoadd._only_shown``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ozonctl.commands.promo import autoadd, changes
from ozonctl.state.journal import Journal


def change(pid: int, date: str = "") -> dict[str, Any]:
    return {"change": "autoadd-remove", "action_id": 5, "date": date, "id": pid, "why": ""}


def test_a_run_journals_sends_and_closes_with_a_row_per_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path, "promo")
    op = journal.new("guard")
    items = [change(1, "2026-12-01"), change(2, "2026-12-01"), change(3)]

    def send(
        ctx: Any, client: Any, op: Any, items_: Any, todo: Any, actions: Any, step: int
    ) -> int:
        assert list(todo) == [0, 1, 2] and step == 1
        assert op.entries()[0][1] == "snapshot"  # the snapshot is written before
        op.record(1, "planned", {"ids": [0, 1, 2], "at": 0})
        op.record(1, "done", {"outcomes": {"removed": [0], "rejected": [1], "unknown": [2]}})
        return 2

    monkeypatch.setattr(changes, "send", send)
    ctx = SimpleNamespace(client=lambda: None)
    rows = changes.run(ctx, op, items, {})  # type: ignore[arg-type]
    assert [(r["product_id"], r["status"]) for r in rows] == [
        (1, "removed"),
        (2, "rejected"),
        (3, "unknown"),
    ]
    assert rows[0]["where"] == "auto-add" and rows[2]["where"] == "in"
    assert changes.failed(rows) == 2
    closed = journal.get(op.ref)
    assert closed.status == "partial"
    assert closed.header["counts"] == {"removed": 1, "rejected": 1, "unknown": 1}
    assert closed.header["unknown"] == 1


@dataclass
class FakeOutput:
    said: list[Any] = field(default_factory=list)

    def outcomes(self, columns: Any, rows: Any, **kw: Any) -> int:
        self.said.append(([r["status"] for r in rows], kw["dry_run"], kw["empty"]))
        return len(rows)

    def info(self, text: str) -> None:
        self.said.append(text)


@pytest.mark.parametrize(
    ("dry_run", "items", "shown", "said"),
    [
        (False, [change(1)], False, []),
        (
            True,
            [change(1)],
            True,
            [(["would_remove"], True, "none"), "dry run: plan; nothing was sent"],
        ),
        (False, [], True, [([], False, "none"), "nothing to do"]),
    ],
)
def test_a_dry_run_or_nothing_to_send_only_shows_the_plan(
    dry_run: bool, items: list[dict[str, Any]], shown: bool, said: list[Any]
) -> None:
    ctx = SimpleNamespace(dry_run=dry_run, output=FakeOutput())
    got = autoadd._only_shown(
        ctx,  # type: ignore[arg-type]
        items,
        "would_remove",
        empty="none",
        plan_line="plan",
        nothing_line="nothing to do",
    )
    assert got is shown and ctx.output.said == said
