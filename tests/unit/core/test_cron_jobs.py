"""What the cron-safe bulk jobs share (``commands._cron``: ``promo guard`` and ``listing
delist-stale``): the lock and the settling of a killed run, the safety limit, and the
end of a run (the outcomes, one summary line, exit 3)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Any

import pytest

from ozonctl.cli.write_schemas import PROMO_CHANGE, STALE_OUTCOME
from ozonctl.commands._cron import check_limit, finish, locked_run
from ozonctl.errors import OzonctlError, PartialFailure


@dataclass
class FakeOutput:
    stderr: io.StringIO = field(default_factory=io.StringIO)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def outcomes(self, columns: Any, rows: Any, **kw: Any) -> int:
        self.calls.append(("outcomes", kw))
        return len(rows)

    def error(self, text: str) -> None:
        self.calls.append(("error", text))
        print(f"error: {text}", file=self.stderr)


@dataclass
class FakeCtx:
    dry_run: bool = False
    output: FakeOutput = field(default_factory=FakeOutput)
    events: list[str] = field(default_factory=list)

    def lock(self, purpose: str) -> contextlib.ExitStack:
        self.events.append(f"lock {purpose}")
        held = contextlib.ExitStack()
        held.callback(self.events.append, "unlock")
        return held

    def client(self) -> str:
        self.events.append("client")
        return "the client"


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_run_holds_the_lock_and_settles_a_killed_run_unless_dry(dry_run: bool) -> None:
    ctx = FakeCtx(dry_run=dry_run)
    with locked_run(ctx, "promo guard", lambda c: ctx.events.append(f"settle {c}")) as client:  # type: ignore[arg-type]
        ctx.events.append(f"work with {client}")
    settled = [] if dry_run else ["settle the client"]
    assert ctx.events == [
        "lock promo guard",
        "client",
        *settled,
        "work with the client",
        "unlock",
    ]


def test_the_safety_limit_is_the_lower_of_max_and_max_percent() -> None:
    words = {"what": "match", "among": "on sale", "nothing": "nothing was archived", "hint": "h"}
    check_limit(5, 100, 10, 5.0, **words)  # 5 % of 100 = 5: allowed
    with pytest.raises(OzonctlError) as caught:
        check_limit(6, 100, 10, 5.0, **words)
    assert str(caught.value).startswith(
        "6 products match, more than the safety limit of 5 (--max 10, --max-percent 5 of "
        "100 on sale); nothing was archived"
    )
    with pytest.raises(OzonctlError, match="safety limit of 3 "):
        check_limit(4, 1000, 3, 50.0, **words)


def test_the_end_of_a_run_is_the_outcomes_then_one_summary_line() -> None:
    ctx = FakeCtx()
    counts = {"matched": 3, "off_auto_add": 2, "no_cost": 1, "failed": 0}
    finish(
        ctx,  # type: ignore[arg-type]
        "promo guard",
        [],
        [],
        counts,
        "guard-1",
        empty="nothing",
        failed="{n} failed",
        labels={"off_auto_add": "off auto-add"},
        schema=PROMO_CHANGE,
    )
    assert ctx.output.calls == [
        (
            "outcomes",
            {
                "ref": "guard-1",
                "dry_run": False,
                "counts": counts,
                "empty": "nothing",
                "schema": PROMO_CHANGE,
            },
        )
    ]
    assert ctx.output.stderr.getvalue() == (
        "promo guard: matched 3, off auto-add 2, no cost 1, failed 0 (journal guard-1)\n"
    )


def test_a_dry_run_says_so_and_a_failure_is_exit_3_after_its_errors() -> None:
    ctx = FakeCtx(dry_run=True)
    with pytest.raises(PartialFailure, match=r"^2 products could not be archived$"):
        finish(
            ctx,  # type: ignore[arg-type]
            "delist-stale",
            [],
            [],
            {"matched": 2, "failed": 2},
            None,
            empty="none",
            failed="{n} products could not be archived",
            errors=["A-1: refused", "A-2: refused"],
            schema=STALE_OUTCOME,
        )
    assert ctx.output.stderr.getvalue().splitlines() == [
        "error: A-1: refused",
        "error: A-2: refused",
        "delist-stale (dry run): matched 2, failed 2",
    ]
