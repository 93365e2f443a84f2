"""``question list/show/answer`` as real processes against the sandbox: filters Ozon has
and those ozonctl applies (--sku), UTF-8 answers with Ozon's 2..3000 character limits
checked before sending, --dry-run and a script without --yes send nothing, an answer
under an injected timeout is sent once, and no Premium Plus is one line, exit 4."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

CREATE = "/v1/question/answer/create"
TEXT = "Да, подойдёт. 适合2024款"


def unanswered(ozonctl: Any) -> list[dict[str, Any]]:
    result = ozonctl("question", "list", "--unanswered", "--json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = result.json()
    return rows


def test_list_filters_and_show(sandbox: Any, ozonctl: Any) -> None:
    every = ozonctl("question", "list", "--json").json()
    assert len(every) == 40  # four pages: Ozon's answer holds at most 10 questions
    assert len(sandbox.requests("/v1/question/list")) == 4
    waiting = unanswered(ozonctl)
    assert waiting and all(q["answers"] == 0 and q["status"] != "PROCESSED" for q in waiting)
    assert sandbox.requests("/v1/question/list")[-1]["body"]["filter"] == {"status": "UNPROCESSED"}
    sku = every[0]["sku"]
    by_sku = ozonctl("question", "list", "--sku", str(sku), "--json").json()
    assert by_sku and all(q["sku"] == sku for q in by_sku)
    assert {q["id"] for q in by_sku} == {q["id"] for q in every if q["sku"] == sku}
    answered = next(q for q in every if q["status"] == "PROCESSED")
    doc = ozonctl("question", "show", answered["id"], "--json").json()
    assert doc["answers"] and doc["answers"][0]["text"]
    assert doc["author_name"] == answered["author_name"]
    pipe = ozonctl("question", "list", "--status", "NEW")
    assert pipe.exit_code == 0
    assert all(line.split("\t")[3] == "NEW" for line in pipe.stdout.splitlines())
    bad = ozonctl("question", "list", "--status", "DONE")
    assert bad.exit_code == 2


def test_answer_dry_run_yes_limits_and_utf8(sandbox: Any, ozonctl: Any) -> None:
    q = unanswered(ozonctl)[0]
    dry = ozonctl("question", "answer", q["id"], "--text", TEXT, "--dry-run")
    assert dry.exit_code == 0 and TEXT in dry.stderr
    no_yes = ozonctl("question", "answer", q["id"], "--text", TEXT)
    assert no_yes.exit_code == 2 and "--yes" in no_yes.stderr
    for text, said in (("я", "at least 2"), ("я" * 3001, "3001 characters"), (" ", "empty")):
        result = ozonctl("question", "answer", q["id"], "--text", text, "--yes")
        assert result.exit_code == 2 and said in result.stderr, result.stderr
        assert len([ln for ln in result.stderr.splitlines() if "error" in ln]) == 1
    neither = ozonctl("question", "answer", q["id"], "--yes")
    assert neither.exit_code == 2 and "--text or --template" in neither.stderr
    assert sandbox.requests(CREATE) == []
    sent = ozonctl("question", "answer", q["id"], "--text", f" {TEXT} ", "--yes", "--json")
    assert sent.exit_code == 0, sent.stderr
    assert sent.json()["outcome"] == "answered" and sent.json()["answer_id"]
    assert sandbox.requests(CREATE)[-1]["body"] == {
        "question_id": q["id"],
        "sku": q["sku"],
        "text": TEXT,
    }
    doc = ozonctl("question", "show", q["id"], "--json").json()
    assert [a["text"] for a in doc["answers"]] == [TEXT]
    assert q["id"] not in {x["id"] for x in unanswered(ozonctl)}
    longest = ozonctl("question", "answer", unanswered(ozonctl)[0]["id"], "--text", "я" * 3000)
    assert longest.exit_code == 2  # a pipe without --yes: asks nothing, sends nothing
    assert len(sandbox.requests(CREATE)) == 1


def test_answer_under_a_timeout_is_sent_once(sandbox: Any, ozonctl: Any) -> None:
    q = unanswered(ozonctl)[0]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    httpx.post(
        sandbox.base_url + "/__sandbox/faults", json={"rule": f"{CREATE}=slow:2500:1"}, timeout=10
    ).raise_for_status()
    result = ozonctl("question", "answer", q["id"], "--text", TEXT, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["outcome"] == "answered" and "lost" in result.stderr
    assert len(sandbox.requests(CREATE)) == 1
    assert [
        a["text"] for a in ozonctl("question", "show", q["id"], "--json").json()["answers"]
    ] == [TEXT]


def test_no_premium_plus_is_one_line_exit_4(sandbox: Any, ozonctl: Any) -> None:
    q = unanswered(ozonctl)[0]
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": "reviews"}, timeout=10
    ).raise_for_status()
    for args in (("list",), ("show", q["id"]), ("answer", q["id"], "--text", TEXT, "--yes")):
        result = ozonctl("question", *args)
        assert result.exit_code == 4, result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error")]
        assert len(errors) == 1 and "Premium Plus or Premium Pro" in errors[0]
        assert "Traceback" not in result.stderr
    assert sandbox.requests(CREATE) == []
