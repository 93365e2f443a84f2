"""The review commands and the inbox in a seller's terminal (a pty): tables with
headers, UTF-8 texts as written, and a reply that asks first — "n" sends nothing, "y"
sends it once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pty_support import run_on_tty, sandbox_env

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CREATE = "/v1/review/comment/create"


def test_tables_in_a_terminal(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    listed = ANSI.sub("", run_on_tty(["review", "list", "--no-color"], env).text)
    assert "Published" in listed and "SKU" in listed and "Comments" in listed
    first = ozonctl("review", "list", "--json").json()[0]
    assert first["id"][:8] in listed
    inbox = ANSI.sub("", run_on_tty(["inbox", "--no-color"], env).text)
    assert "Oldest wait" in inbox and "reviews" in inbox


def test_reply_asks_on_a_terminal(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    review_id = ozonctl("review", "list", "--unanswered", "--json").json()[0]["id"]
    text = "Спасибо! 谢谢"
    args = ["review", "reply", review_id, "--text", text, "--no-color"]
    declined = run_on_tty(args, env, answer="n")
    assert declined.code == 1 and "nothing was sent" in declined.text, declined.text
    assert text in declined.text
    assert sandbox.requests(CREATE) == []
    accepted = run_on_tty(args, env, answer="y")
    assert accepted.code == 0, accepted.text
    assert [e["body"]["text"] for e in sandbox.requests(CREATE)] == [text]
