"""README's first command: the scripted tour runs every main job against a sandbox it
starts and stops itself, in a throw-away home, and ends well."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_the_tour_runs_every_step_and_leaves_no_trace(ozonctl_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZON")}
    env["OZONCTL_HOME"] = str(ozonctl_home)
    proc = subprocess.run(
        [sys.executable, "-m", "ozonctl", "sandbox", "tour"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    for command in (
        "promo list --joined",
        "promo leave",
        "promo rejoin",
        "listing stale",
        "listing delist-stale --zero-stock --max-percent 10 --dry-run",
        "order list --unfulfilled",
        "payout summary --month",
    ):
        assert f"$ ozonctl {command}" in out
    assert "left " in out and "delisted" in proc.stderr + out
    assert "That was the tour" in out
    assert not ozonctl_home.exists(), "the tour must not touch the user's ozonctl home"
