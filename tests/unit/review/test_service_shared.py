"""What ``review``, ``question`` and ``chat`` share (``commands/_service.py``): the 403
of a method family turned into the subscription it needs, an item shown with its thread,
and ``--from-file`` checked whole before anything is sent, then sent line by line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ozonctl.cli.output import Column, Output
from ozonctl.client.errors import PermissionDeniedError
from ozonctl.commands import _service, _writes
from ozonctl.errors import AuthError, UsageError


def test_a_family_names_its_subscription_on_403_and_passes_answers_through() -> None:
    questions = _service.Subscribed("product questions", _service.PLUS)
    assert questions(lambda: 42) == 42

    def refused() -> None:
        raise PermissionDeniedError("subscription needed", path="/v1/question/list", status=403)

    with pytest.raises(AuthError) as caught:
        questions(refused)
    assert "Ozon refused product questions (HTTP 403: subscription needed)" in str(caught.value)
    assert _service.PLUS in str(caught.value)


DOC = {"id": "q1", "text": "Какой размер?", "answers": [{"published_at": "t1", "text": "M"}]}
FIELDS = [("question", "q1"), ("text", "Какой размер?")]
COLUMNS = [Column("published_at", "Published"), Column("text", "Answer")]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def shown(json_mode: bool, doc: dict[str, Any]) -> tuple[str, str]:
    out, err = io.StringIO(), Tty()
    ctx: Any = SimpleNamespace(output=Output(json_mode=json_mode, stdout=out, stderr=err))
    _service.show_thread(ctx, doc, FIELDS, "answers", COLUMNS, "no answers yet")
    return out.getvalue(), err.getvalue()


def test_a_thread_shows_the_fields_then_its_rows() -> None:
    out, _ = shown(False, DOC)
    assert out == "question\tq1\ntext\tКакой размер?\nt1\tM\n"


def test_a_thread_with_json_is_the_document_whole() -> None:
    out, _ = shown(True, DOC)
    assert json.loads(out) == DOC


def test_an_empty_thread_says_so() -> None:
    out, err = shown(False, {**DOC, "answers": []})
    assert out == "question\tq1\ntext\tКакой размер?\n"
    assert "no answers yet" in err


def checked(text: str) -> str:
    if len(text) < 2:
        raise UsageError("--text has 1 character(s); Ozon takes at least 2")
    return text


def test_a_bad_line_stops_the_file_before_anything_is_built(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("q1,Спасибо\nq2,x\n", encoding="utf-8")
    built: list[tuple[str, str]] = []
    with pytest.raises(UsageError) as caught:
        _service.send_file(
            SimpleNamespace(),  # type: ignore[arg-type]
            str(path),
            checked,
            lambda target, text: built.append((target, text)),  # type: ignore[func-returns-value]
            False,
            area="question",
            what="answers",
            max_items=None,
        )
    assert str(caught.value).startswith(f"{path}: line 2: --text has 1 character(s)")
    assert built == []


def test_each_line_is_built_in_its_turn_and_the_outcomes_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "replies.csv"
    path.write_text("# id,text\nr1,Спасибо!\nr2;谢谢\n", encoding="utf-8")
    built: list[tuple[str, str]] = []
    seen: dict[str, Any] = {}

    def bulk(ctx: Any, writes: Any, retry_unknown: bool, **kw: Any) -> list[dict[str, Any]]:
        seen.update(kw, retry_unknown=retry_unknown, targets=[t for t, _ in writes])
        assert built == [], "a write is built only when its turn comes"
        return [{"review_id": t, "outcome": build()} for t, build in writes]

    def finish_bulk(ctx: Any, outcomes: Any, key: str, what: str) -> None:
        seen.update(outcomes=outcomes, key=key, finished=what)

    monkeypatch.setattr(_writes, "bulk", bulk)
    monkeypatch.setattr(_service, "finish_bulk", finish_bulk)

    def build(target: str, text: str) -> Any:
        built.append((target, text))
        return "replied"

    _service.send_file(
        SimpleNamespace(),  # type: ignore[arg-type]
        str(path),
        checked,
        build,
        True,
        area="review",
        what="replies",
        max_items=5,
    )
    assert built == [("r1", "Спасибо!"), ("r2", "谢谢")]
    assert seen == {
        "area": "review",
        "what": "replies",
        "max_items": 5,
        "retry_unknown": True,
        "targets": ["r1", "r2"],
        "outcomes": [
            {"review_id": "r1", "outcome": "replied"},
            {"review_id": "r2", "outcome": "replied"},
        ],
        "key": "review_id",
        "finished": "replies",
    }
