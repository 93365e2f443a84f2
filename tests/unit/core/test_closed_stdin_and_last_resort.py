"""A closed stdin is a usage error of one line; an unexpected error is one line that
names it and points to --debug, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ozonctl.cli.failures import describe
from ozonctl.exitcodes import ExitCode

CLOSED = "error: stdin is closed, so there is nothing to read"


def run_with_stdin_closed(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OZONCTL_HOME": str(home),
        "OZON_API_URL": "http://127.0.0.1:9",  # never reached: the input is read first
        "OZON_CLIENT_ID": "1",
        "OZON_API_KEY": "k",
    }
    return subprocess.run(
        [sys.executable, "-m", "ozonctl", *args],
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(0),  # what `ozonctl … <&-` does
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("promo", "leave", "71001", "--from-file", "-", "--dry-run"),
        ("listing", "archive", "--from-file", "-", "--dry-run"),
        ("listing", "archive", "--dry-run"),  # products from stdin when none are given
        ("api", "/v3/product/list", "--data", "-"),
        ("auth", "login", "--client-id", "1", "--with-key"),
    ],
)
def test_a_closed_stdin_is_one_line_and_exit_2(ozonctl_home: Path, args: tuple[str, ...]) -> None:
    done = run_with_stdin_closed(ozonctl_home, *args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(CLOSED), done.stderr
    assert done.stdout == ""


def test_an_unexpected_error_is_one_line_naming_it_and_pointing_to_debug(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("line one\nline two")

    monkeypatch.setattr("ozonctl.cli.context.AppContext.settings", property(broken))
    r = cli("config", "show")
    assert r.exit_code == ExitCode.ERROR
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: internal error: RuntimeError: ")
    assert "line one line two" in lines[0] and "--debug" in lines[0]


def test_the_last_resort_message_is_one_line() -> None:
    message, code = describe(RuntimeError("a\nb\r\nc"))
    assert code == ExitCode.ERROR and "\n" not in message and "\r" not in message
    assert message.startswith("internal error: RuntimeError: a b c — ") and "--debug" in message
