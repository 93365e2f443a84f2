"""The terminal half of the output contract (issue 18): long output through the pager,
a spinner while Ozon is slow to answer; neither in a pipe nor with --json."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pty_support import run_on_tty, sandbox_env

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MARK_PAGER = "sed s/^/PAGED:/"


def test_long_output_on_a_terminal_goes_through_the_pager(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    env = {**sandbox_env(sandbox, ozonctl_home), "OZONCTL_PAGER": MARK_PAGER}
    long = run_on_tty(["listing", "list", "--limit", "100", "--no-color"], env)
    assert long.code == 0, long.text
    paged = [line for line in long.text.splitlines() if line.startswith("PAGED:")]
    assert len(paged) >= 100 and "Offer" in paged[0], long.text[-2000:]
    # short output (fits the 50-line screen) is printed as it is
    short = run_on_tty(["listing", "list", "--limit", "5", "--no-color"], env)
    assert short.code == 0 and "PAGED:" not in short.text and "Offer" in short.text
    # OZONCTL_PAGER="" switches it off
    off = run_on_tty(["listing", "list", "--limit", "100"], {**env, "OZONCTL_PAGER": ""})
    assert off.code == 0 and "PAGED:" not in off.text
    # never in a pipe
    piped = ozonctl("listing", "list", "--limit", "100", env={"OZONCTL_PAGER": MARK_PAGER})
    assert piped.exit_code == 0 and "PAGED:" not in piped.stdout + piped.stderr
    assert len(piped.stdout.splitlines()) == 100


def test_a_pager_quit_early_is_not_an_error(sandbox: Any, ozonctl_home: Path) -> None:
    env = {**sandbox_env(sandbox, ozonctl_home), "OZONCTL_PAGER": "head -n 3"}
    quit_early = run_on_tty(["listing", "list", "--limit", "100", "--no-color"], env)
    assert quit_early.code == 0, quit_early.text
    assert "error" not in quit_early.text.lower()
    assert len(quit_early.text.strip().splitlines()) <= 4, quit_early.text


@pytest.mark.sandbox_args("--latency", "1200")
def test_a_slow_read_shows_a_spinner_on_a_terminal_only(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    slow = run_on_tty(["listing", "list", "--limit", "3", "--no-color"], env)
    assert slow.code == 0, slow.text
    assert "Waiting for Ozon" in slow.text
    table = ANSI.sub("", slow.text)
    assert "Offer" in table  # the table follows, whole
    with_json = run_on_tty(["listing", "list", "--limit", "3", "--json"], env)
    assert with_json.code == 0 and "Waiting for Ozon" not in with_json.text
    piped = ozonctl("listing", "list", "--limit", "3")
    assert piped.exit_code == 0 and "Waiting" not in piped.stderr + piped.stdout
