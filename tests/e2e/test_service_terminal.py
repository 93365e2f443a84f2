"""Questions, chats, the three-section inbox and the templates list in a seller's
terminal (a pty): tables with headers, UTF-8 texts as written, and an answer or message
that asks first — "n" sends nothing, "y" sends it once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from orders_support import recent_posting
from pty_support import run_on_tty, sandbox_env

pytestmark = pytest.mark.e2e

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def shown(args: list[str], env: dict[str, str], answer: str | None = None) -> tuple[int, str]:
    result = run_on_tty([*args, "--no-color"], env, answer=answer)
    return result.code, ANSI.sub("", result.text)


def test_tables_in_a_terminal(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    code, questions = shown(["question", "list", "--unanswered"], env)
    assert code == 0 and "Question" in questions and "Buyer" in questions
    first = ozonctl("question", "list", "--unanswered", "--json").json()[0]
    assert first["id"] in questions
    code, one = shown(["question", "show", first["id"]], env)
    assert code == 0 and first["text"] in one and "no answers yet" in one
    code, chats = shown(["chat", "list", "--unread"], env)
    assert code == 0 and "Chat ID" in chats and "Unread" in chats
    chat = ozonctl("chat", "list", "--unread", "--json").json()[0]["id"]
    code, history = shown(["chat", "show", chat], env)
    assert code == 0 and "Customer" in history and "Message ID" in history
    code, inbox = shown(["inbox"], env)
    assert code == 0
    for word in ("reviews", "questions", "chats", "Oldest wait"):
        assert word in inbox
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    (ozonctl_home / "templates.toml").write_text('thanks = "Спасибо, {buyer}!"\n', "utf-8")
    code, templates = shown(["inbox", "templates"], env)
    assert code == 0 and "thanks" in templates and "Спасибо, {buyer}!" in templates


def test_answer_and_message_ask_on_a_terminal(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    question = ozonctl("question", "list", "--unanswered", "--json").json()[0]["id"]
    chat = ozonctl("chat", "list", "--unread", "--json").json()[0]["id"]
    for args, path in (
        (
            ["question", "answer", question, "--text", "Да, подойдёт 适合"],
            "/v1/question/answer/create",
        ),
        (["chat", "send", chat, "--text", "Здравствуйте! 您好"], "/v1/chat/send/message"),
    ):
        code, declined = shown(args, env, answer="n")
        assert code == 1 and "nothing was sent" in declined, declined
        assert args[-1] in declined
        assert sandbox.requests(path) == []
        code, accepted = shown(args, env, answer="y")
        assert code == 0, accepted
        assert [e["body"]["text"] for e in sandbox.requests(path)] == [args[-1]]


def test_read_and_start_on_a_terminal(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    env = sandbox_env(sandbox, ozonctl_home)
    chat = ozonctl("chat", "list", "--unread", "--json").json()[0]["id"]
    code, read = shown(["chat", "read", chat], env)
    assert code == 0 and chat in read and "read" in read
    assert chat not in {c["id"] for c in ozonctl("chat", "list", "--unread", "--json").json()}
    recent = recent_posting(sandbox, ozonctl)
    code, declined = shown(["chat", "start", recent], env, answer="n")
    assert code == 1 and "nothing was sent" in declined
    assert sandbox.requests("/v1/chat/start") == []
    code, started = shown(["chat", "start", recent], env, answer="y")
    assert code == 0 and recent in started, started
    assert len(sandbox.requests("/v1/chat/start")) == 1


def test_every_command_in_a_pipe_and_with_json(sandbox: Any, ozonctl: Any) -> None:
    """Only data on stdout: TSV lines in a pipe, one JSON document with --json."""
    import json

    question = ozonctl("question", "list", "--json").json()[0]["id"]
    chat = ozonctl("chat", "list", "--json").json()[0]["id"]
    for args in (
        ("question", "list"),
        ("question", "show", question),
        ("chat", "list", "--unanswered"),
        ("chat", "show", chat),
        ("inbox", "--only", "questions,chats"),
        ("inbox", "templates"),
    ):
        pipe = ozonctl(*args)
        assert pipe.exit_code == 0, (args, pipe.stderr)
        assert all("\t" in line for line in pipe.stdout.splitlines()), (args, pipe.stdout)
        assert "│" not in pipe.stdout and "\x1b" not in pipe.stdout
        doc = ozonctl(*args, "--json")
        assert doc.exit_code == 0, (args, doc.stderr)
        json.loads(doc.stdout)
    answered = ozonctl("question", "answer", question, "--text", "Да, подойдёт", "--yes")
    assert answered.exit_code == 0 and answered.stdout.split("\t")[0] == question
    sent = ozonctl("chat", "read", chat, "--json")
    assert sent.exit_code == 0 and json.loads(sent.stdout)["chat_id"] == chat
