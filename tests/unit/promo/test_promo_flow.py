"""The one flow of ``promo join``, ``leave`` and ``rejoin`` for Ozon's promotions and the
seller's own (``common.carry_out``), and the pieces those commands share: result rows
for products not sent (``Resolved.outside``) and a killed leave's products read back
(``promo_runs.still_in``, ``record_checked``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ozonctl.commands.promo.common import Planned, carry_out
from ozonctl.commands.promo.select import Resolved
from ozonctl.domain.promo_runs import Outcome, read_op, record_checked, still_in
from ozonctl.errors import PartialFailure
from ozonctl.state.journal import Journal, Operation


@dataclass
class FakeOutput:
    said: list[tuple[str, Any]] = field(default_factory=list)

    def outcomes(self, columns: Any, rows: Any, **kw: Any) -> int:
        rows = list(rows)
        self.said.append(("outcomes", (rows, kw)))
        return len(rows)

    def info(self, text: str) -> None:
        self.said.append(("info", text))


@dataclass
class FakeCtx:
    dry_run: bool = False
    output: FakeOutput = field(default_factory=FakeOutput)
    events: list[str] = field(default_factory=list)

    def confirm(self, question: str) -> None:
        self.events.append(f"confirm {question}")

    @contextlib.contextmanager
    def lock(self, purpose: str) -> Iterator[None]:
        self.events.append(f"lock {purpose}")
        try:
            yield
        finally:
            self.events.append("unlock")


def item(pid: int) -> dict[str, Any]:
    return {"id": pid, "sku": pid + 1000, "offer_id": f"o{pid}", "name": "", "price": "100"}


PROMO = SimpleNamespace(id=7, title="Sale")


def plan(kind: str, items: list[dict[str, Any]], others: list[dict[str, Any]]) -> Planned:
    return Planned(
        kind,
        PROMO,
        items,
        would=[{"product_id": it["id"], "status": f"would_{kind}"} for it in items],
        others=others,
        plan_line=f"would {kind} {len(items)}",
        leave_ref="leave-1",
    )


def test_a_dry_run_prints_the_plan_and_opens_nothing() -> None:
    ctx = FakeCtx(dry_run=True)
    skipped = {"offer_id": "x", "status": "not_found", "reason": "no such product"}

    def never(*_: Any) -> Any:
        raise AssertionError("a dry run opens and sends nothing")

    carry_out(ctx, plan("leave", [item(1)], [skipped]), start=never, send=never, lock="l")  # type: ignore[arg-type]
    (kind, (rows, kw)), line = ctx.output.said
    assert kind == "outcomes" and kw["ref"] is None and kw["empty"] == "nothing to leave"
    assert [r["status"] for r in rows] == ["would_leave", "not_found"]
    assert line == ("info", "dry run: would leave 1; nothing was sent")
    assert ctx.events == []


NOTHING_TO_LEAVE = "nothing to take out of «Sale» (7)"


@pytest.mark.parametrize(
    ("kind", "statuses", "message", "said"),
    [
        ("join", ["rejected", "already_in", "not_found"], "2 product(s) refused", None),
        (
            "leave",
            ["not_in_promotion", "not_found"],
            "1 of the products given were not found",
            NOTHING_TO_LEAVE,
        ),
        ("rejoin", ["already_in"], None, "nothing of leave leave-1 is out of the promotion now"),
        ("leave", ["not_in_promotion", "no_cost"], None, NOTHING_TO_LEAVE),
    ],
)
def test_nothing_to_send_lists_the_others_and_fails_only_for_a_failure(
    kind: str, statuses: list[str], message: str | None, said: str | None
) -> None:
    ctx = FakeCtx()
    others = [{"product_id": k, "status": s, "reason": ""} for k, s in enumerate(statuses)]
    run = plan(kind, [], others)
    if message is None:
        carry_out(ctx, run, start=None, send=None)  # type: ignore[arg-type]
    else:
        with pytest.raises(PartialFailure, match=re.escape(message)):
            carry_out(ctx, run, start=None, send=None)  # type: ignore[arg-type]
    (_, (rows, kw)), *lines = ctx.output.said
    assert rows == others and kw["dry_run"] is False
    assert lines == ([("info", said)] if said else []) and ctx.events == []


def test_a_run_asks_locks_journals_sends_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = FakeCtx()
    journal = Journal(tmp_path, "promo")
    monkeypatch.setattr(ctx, "journal", lambda area: journal, raising=False)
    opened: list[Operation] = []

    def start() -> Operation:
        ctx.events.append("start")
        opened.append(journal.new("leave", action_id=7))
        return opened[-1]

    def send(op: Operation) -> int:
        ctx.events.append("send")
        assert read_op(op).snapshot == [item(1), item(2)]  # the snapshot comes first
        op.record(1, "done", {"outcomes": {"left": [1], "rejected": [2]}})
        return 1

    skipped = [{"product_id": 3, "status": "not_in_promotion", "reason": ""}]
    with pytest.raises(PartialFailure, match="1 product"):
        carry_out(
            ctx,  # type: ignore[arg-type]
            plan("leave", [item(1), item(2)], skipped),
            start=start,
            send=send,
            lock="promo leave 7",
            after=lambda op: ctx.events.append(f"after {op.ref}"),
        )
    op = opened[0]
    assert ctx.events == [
        "confirm Take 2 products out of «Sale» (7)?",
        "lock promo leave 7",
        "start",
        "send",
        f"after {op.ref}",
        "unlock",
    ]
    rows, kw = ctx.output.said[0][1]
    assert kw["ref"] == op.ref
    assert [r["status"] for r in rows] == ["left", "rejected", "not_in_promotion"]
    assert journal.get(op.ref).status == "partial"


def test_products_given_but_not_in_the_pool_become_result_rows() -> None:
    card = SimpleNamespace(offer_id="A-1", sku=0, name="Mug", price=None)
    found = Resolved({11: card, 12: card}, ["sku 99"])  # type: ignore[dict-item]
    rows = found.outside({12}, "not_in_promotion", "not in it")
    assert rows == [
        {
            "product_id": 11,
            "offer_id": "A-1",
            "sku": None,
            "name": "Mug",
            "price": None,
            "status": "not_in_promotion",
            "reason": "not in it",
        },
        {"offer_id": "sku 99", "status": "not_found", "reason": "no such product"},
    ]


def test_a_killed_leave_resumes_only_what_is_still_in(tmp_path: Path) -> None:
    remaining = [item(1), item(2), item(3)]
    todo, gone = still_in(remaining, current={2, 9})
    assert todo == [item(2)]
    assert set(gone) == {1, 3} and all(o.status == "left" for o in gone.values())
    op = Journal(tmp_path, "promo").new("leave")
    assert record_checked(op, 4, {}) == 4  # nothing read back: no step written
    assert record_checked(op, 4, gone) == 5
    assert read_op(op).outcomes[3] == Outcome(
        "left", "out of the promotion when the leave was resumed"
    )
