"""The benchmark's reference client (``bench/peers/bare_peer.py``, issue 17): plain httpx
run by the harness as a peer from the repository's ``.venv``. Against a small sandbox
(real processes on 127.0.0.1) it sends exactly the minimum the harness counts for every
workload and leaves the shop as the harness's checks expect; it is named in every
table; its token bucket times the requests past a burst from its anchor."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH / "peers"))

import bare_peer  # noqa: E402
from benchlib import report, shopfacts  # noqa: E402
from benchlib.clients import Variant, run_once, variants  # noqa: E402
from benchlib.peers_env import PEERS, ROOT  # noqa: E402
from benchlib.sandbox import SEED, TODAY, Sandbox  # noqa: E402
from benchlib.workloads import WORKLOADS, Inputs  # noqa: E402

PRODUCTS = 5_000
REFERENCE = next(p for p in PEERS if p.reference)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Inputs, Path]]:
    scratch = tmp_path_factory.mktemp("bench")
    facts = shopfacts.compute(PRODUCTS, SEED, TODAY, archive=1_500, stock=1_000)
    # finance: the period's last 10 days (the minimum and the peer's dates follow)
    facts.accruals_per_day = dict(list(facts.accruals_per_day.items())[-10:])
    facts.finance_from = next(iter(facts.accruals_per_day))
    inp = Inputs(facts, facts.write_inputs(scratch / "inputs"))
    sandbox = Sandbox(PRODUCTS, log_dir=scratch)
    try:
        yield sandbox, inp, scratch
    finally:
        sandbox.stop()


@pytest.mark.parametrize("key", list(WORKLOADS))
def test_the_reference_sends_the_minimum_and_passes_the_checks(
    shop: tuple[Sandbox, Inputs, Path], key: str
) -> None:
    sandbox, inp, scratch = shop
    work = WORKLOADS[key]
    if work.fresh_state or sandbox.proc is None:
        sandbox.start()  # a write starts on the seeded shop again
    # limiter lifted: the counts do not depend on it, and the test stays short
    res = run_once(
        work,
        Variant(REFERENCE.name, "off"),
        inp,
        sandbox,
        scratch,
        template=None,
        keep_output=False,
        timeout_s=120,
    )
    assert res.problem is None and res.ok, res.problem  # incl. the shop's state check
    assert res.traffic is not None
    assert dict(res.traffic.by_path) == work.minimum(inp).by_path
    assert res.items and res.items >= (work.expected_items(inp) or 1)


def test_it_runs_from_the_repository_venv_and_is_named_in_every_table() -> None:
    assert REFERENCE.python == ROOT / ".venv" / "bin" / "python"
    assert Variant(REFERENCE.name, "default").label == "bare httpx (reference)"
    got = variants(PEERS, defaults_only=True)
    assert (REFERENCE.name, "default") in [(v.client, v.limiter) for v in got]
    # against the 50/s sandbox (--lean-at-limit) the reference still runs at its limiter
    lean = variants(PEERS, lean=True)
    assert (REFERENCE.name, "default") in [(v.client, v.limiter) for v in lean]
    assert ("ozon-sdk", "default") not in [(v.client, v.limiter) for v in lean]
    data = {
        "started": "2026-12-07 14:00 UTC",
        "rounds": 1,
        "machine": {"load_before": "1", "load_after": "1", "cores": 2, "commit": "abc"},
        "builds": {"ozonctl": "/work/main at abc"},
        "peers": [f"{REFERENCE.name} 0.28.1"],
        "workloads": [
            {
                "workload": "stock",
                "sandbox_rate_limit": "50/s, 80 ms round trip",
                "minimum_total": 101,
                "floor_s": 15.0,
                "cells": [],
            }
        ],
    }
    section = report.before_after(data).splitlines()
    header = next(line for line in section if line.startswith("| Workload"))
    assert header.endswith("| `ozonctl` | bare httpx (reference) |"), header


def test_the_bucket_times_the_tokens_past_its_burst_from_the_anchor() -> None:
    """Never early (a request before its token meets Ozon's 429); late only by the
    event loop's own delay."""

    async def go() -> tuple[float, list[float]]:
        bucket = bare_peer.Bucket(50.0, 2, anchored=False)
        loop = asyncio.get_running_loop()
        done: list[float] = []

        async def take() -> None:
            await bucket.take()
            done.append(loop.time())

        tasks = [asyncio.ensure_future(take()) for _ in range(4)]
        await asyncio.sleep(0.1)  # the first answer comes back: the refill starts
        anchored = loop.time()
        bucket.anchor()
        await asyncio.gather(*tasks)
        return anchored, sorted(done)

    anchored, done = asyncio.run(go())
    assert done[1] < anchored  # the burst went at once
    assert done[2] - anchored >= 0.02 - 1e-3  # one token (20 ms) after the anchor
    assert done[3] - anchored >= 0.04 - 1e-3
    assert done[3] - anchored < 1.0
