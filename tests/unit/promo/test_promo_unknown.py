"""Writes whose outcome is unknown (a timeout, a 5xx, a run killed while a request was on
its way): a rejoin reads their state before putting products back, a failed rejoin does
not mark the leave undone, a resumed leave waits out what may still be in flight and
sends none of it again, and ``doctor`` lists them until they are read back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from promo_fake import PIDS, VOUCHER, FakePromos
from test_promo_leave import DEACTIVATE, UPDATE, crash_on, journal, sequential, small_batches

from ozonctl.domain import promo_runs as runner


class Clock:
    """The runner's clock and wait: a wait moves the clock on, and whatever Ozon had in
    flight until then is applied."""

    def __init__(self) -> None:
        self.t = time.time()
        self.waits: list[float] = []
        self.later: list[tuple[float, Callable[[], None]]] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.t += seconds
        due = [f for at, f in self.later if at <= self.t]
        self.later = [(at, f) for at, f in self.later if at > self.t]
        for apply in due:
            apply()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(runner, "now", lambda: c.t)
    monkeypatch.setattr(runner, "sleep", c.sleep)
    return c


def lose_answers(fake: FakePromos, path: str) -> None:
    """Ozon applies the write to ``path`` but its answer is lost (a 504 from a proxy)."""
    original = fake.answer

    def answer(p: str, body: dict[str, Any]) -> Any:
        got = original(p, body)
        if p == path:
            return httpx.Response(504, text="<html>Gateway Timeout</html>")
        return got

    fake.answer = answer  # type: ignore[method-assign]


def doctor_journal(cli: Any) -> list[dict[str, str]]:
    r = cli("doctor", "--offline", "--json")
    return [c for c in r.json()["checks"] if c["check"] == "journal"]


def test_rejoin_reads_the_state_of_products_whose_leave_outcome_was_unknown(
    cli: Any, fake: FakePromos, clock: Clock, ozonctl_home: Path
) -> None:
    lose_answers(fake, DEACTIVATE)
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 3 and {x["status"] for x in r.json()["items"]} == {"unknown"}
    assert fake.members[VOUCHER] == {}  # Ozon did take them out
    (leave,) = journal(ozonctl_home).all()
    assert leave.header["unknown"] == 4
    (j,) = doctor_journal(cli)
    assert leave.ref in j["detail"] and "4 outcome(s) are unknown" in j["detail"]

    fake.answer = FakePromos.answer.__get__(fake)  # type: ignore[method-assign]
    r = cli("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert clock.waits and "may still be running" in r.stderr  # waited before reading
    assert [(x["product_id"], x["status"]) for x in r.json()["items"]] == [
        (p, "joined") for p in PIDS[:4]
    ]
    assert sorted(fake.members[VOUCHER]) == PIDS[:4]
    leave = journal(ozonctl_home).get(leave.ref, kind="leave")
    assert leave.status == "undone" and leave.header["unknown"] == 0
    assert [j["status"] for j in doctor_journal(cli)] == ["ok"]


def test_a_failed_rejoin_does_not_mark_the_leave_undone(
    cli: Any, fake: FakePromos, clock: Clock, ozonctl_home: Path
) -> None:
    assert cli("promo", "leave", str(VOUCHER), "--sku", "5000,5001", "--yes").exit_code == 0
    fake.boom = {UPDATE: 500}
    r = cli("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 3 and {x["status"] for x in r.json()["items"]} == {"unknown"}
    leave = journal(ozonctl_home).get("last", kind="leave")
    assert leave.status == "done" and "undone_by" not in leave.header
    assert len(leave.header["rejoins"]) == 1

    fake.boom = {}
    r = cli("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert clock.waits  # the first rejoin's update may still have been running
    assert [x["status"] for x in r.json()["items"]] == ["joined", "joined"]
    assert journal(ozonctl_home).get("last", kind="leave").status == "undone"


def test_a_resumed_leave_sends_nothing_that_may_still_be_in_flight(
    cli: Any, fake: FakePromos, clock: Clock, monkeypatch: pytest.MonkeyPatch, ozonctl_home: Path
) -> None:
    # 4 products, batches of 2; the run is killed while the second batch is on its way,
    # and Ozon applies that batch 3 s later.
    sequential(ozonctl_home)
    small_batches(monkeypatch, "actions.products.deactivate", 2)
    original = fake.answer
    crash_on(fake, DEACTIVATE, 2)
    crashing = fake.answer

    def answer(p: str, body: dict[str, Any]) -> Any:
        if p == DEACTIVATE and len(fake.calls(DEACTIVATE)) == 2:
            clock.later.append((clock.t + 3, lambda: original(p, body)))
        return crashing(p, body)

    fake.answer = answer  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        cli("promo", "leave", str(VOUCHER), "--all", "--yes")
    fake.answer = original  # type: ignore[method-assign]
    assert sorted(fake.members[VOUCHER]) == PIDS[2:4]  # still there: in flight

    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert len(fake.calls(DEACTIVATE)) == 2  # nothing sent again
    assert clock.waits and sum(clock.waits) >= 3
    assert [x["status"] for x in r.json()["items"]] == ["left"] * 4
    assert fake.members[VOUCHER] == {}
    (op,) = journal(ozonctl_home).all()
    assert op.status == "done" and op.header["unknown"] == 0
