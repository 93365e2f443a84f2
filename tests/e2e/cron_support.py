"""What the e2e tests of the cron-safe bulk jobs (``promo guard``, ``listing
delist-stale``) share: a run started in the background, and the same job started twice
at once (one runs, the other exits 5 at once)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

Ended = tuple[int, float, str]
"""A run's exit code, when it ended (seconds after the start) and its stderr."""


def spawn(
    sandbox: Any, home: Path, *args: str, stderr: Any = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    """The real ``ozonctl`` with ``args`` against the sandbox, in the background."""
    env = {**os.environ, **sandbox.env, "OZONCTL_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "ozonctl", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


def two_at_once(
    sandbox: Any, home: Path, tmp_path: Path, args: tuple[str, ...], *, within: float
) -> tuple[Ended, Ended]:
    """Start the job ``args`` twice at once and wait (at most ``within`` seconds) for
    both; the one that exited 5 (it said the lock is held, and did not wait for the
    other) and the one that ran (exit 0)."""
    logs = [(tmp_path / f"err{k}.txt").open("w") for k in range(2)]
    started = time.monotonic()
    procs = [spawn(sandbox, home, *args, stderr=log) for log in logs]
    finished: dict[int, float] = {}
    while len(finished) < 2:
        assert time.monotonic() - started < within
        for k, p in enumerate(procs):
            if k not in finished and p.poll() is not None:
                finished[k] = time.monotonic() - started
        time.sleep(0.02)
    for log in logs:
        log.close()
    ended = [
        (p.returncode, finished[k], (tmp_path / f"err{k}.txt").read_text())
        for k, p in enumerate(procs)
    ]
    assert sorted(code for code, _, _ in ended) == [0, 5], ended
    loser = next(e for e in ended if e[0] == 5)
    winner = next(e for e in ended if e[0] == 0)
    assert "holds the lock" in loser[2]
    assert loser[1] < winner[1] - 1.5  # it did not wait for the other run
    return loser, winner
