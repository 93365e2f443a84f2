"""The benchmark's yardsticks (issue 17): the floor counts the round trip of a sequential
page walk, the minimums count the reads the commands need, and the archive check expects
the products held back for reserved units to stay unarchived."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib import shopfacts  # noqa: E402
from benchlib.sandbox import SEED, TODAY  # noqa: E402
from benchlib.workloads import WORKLOADS, Inputs, floor_s, rate_floor_s  # noqa: E402


@pytest.fixture(scope="module")
def inp() -> Inputs:
    facts = shopfacts.compute(20_000, SEED, TODAY, archive=2_000, stock=2_000)
    return Inputs(facts, {})


def test_a_sequential_page_walk_cannot_beat_its_pages_times_the_round_trip(inp: Inputs) -> None:
    m = WORKLOADS["list"].minimum(inp)
    pages = m.by_path["/v3/product/list"]
    assert m.chain == pages + 1
    assert floor_s(m.by_path, m.chain, 0.08) == pytest.approx((pages + 1) * 0.08)
    assert floor_s(m.by_path, m.chain, 0.08) > rate_floor_s(m.by_path)
    # without a round trip the rate limit alone sets it, as before
    assert floor_s(m.by_path, m.chain, 0.0) == rate_floor_s(m.by_path)
    leave = WORKLOADS["promo-leave"].minimum(inp)
    assert leave.chain == leave.by_path["/v2/actions/products"] + 1


def test_independent_writes_are_held_only_by_the_rate_limit(inp: Inputs) -> None:
    m = WORKLOADS["stock"].minimum(inp)
    assert m.chain == 1
    assert floor_s(m.by_path, m.chain, 0.08) == rate_floor_s(m.by_path)
    # the method's own limit, 80 a minute: 100 calls need (100 - 80) x 0.75 s
    assert rate_floor_s({"/v2/products/stocks": 100}) == pytest.approx(15.0)


def test_the_minimums_count_the_key_check_and_the_reads_the_writes_need(inp: Inputs) -> None:
    f = inp.facts
    sent = len(f.archive_ids) - f.archive_held
    assert WORKLOADS["archive"].minimum(inp).by_path == {
        "/v1/roles": 1,
        "/v3/product/info/list": -(-len(f.archive_ids) // 1000),
        "/v5/product/info/prices": -(-sent // 1000),
        "/v1/product/archive": -(-sent // 100),
    }
    for key in ("stock", "promo-leave"):
        assert WORKLOADS[key].minimum(inp).by_path["/v1/roles"] == 1


class _Shop:
    def __init__(self, archived: int) -> None:
        self.archived = archived

    def state(self, path: str = "") -> dict[str, Any]:
        return {"archived": self.archived}


def test_the_archive_check_expects_the_held_back_products_unarchived(inp: Inputs) -> None:
    f = inp.facts
    assert f.archive_held > 0  # the seeded shop has orders with reserved units
    check = WORKLOADS["archive"].check_state
    assert check is not None
    done = f.archived + len(f.archive_ids) - f.archive_held
    assert check(_Shop(done), inp) is None
    assert check(_Shop(f.archived + len(f.archive_ids)), inp) is not None
