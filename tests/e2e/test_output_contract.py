"""The output contract of docs/scripting.md, walked through the real process: the
vocabulary (plurals, "did you mean"), a declined confirmation, times, CSV, --json FIELDS
and tables on a pseudo-terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pty_support import run_on_tty, sandbox_env


def test_a_declined_confirmation_says_aborted_and_sends_nothing(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    offer = ozonctl("listing", "list", "--json").json()[0]["offer_id"]
    r = run_on_tty(["listing", "archive", offer], sandbox_env(sandbox, ozonctl_home), answer="n")
    assert "aborted — nothing was sent" in r.text, r.text
    assert "error:" not in r.text and "cancelled" not in r.text
    assert r.code == 1
    assert sandbox.requests("/v1/product/archive") == []
