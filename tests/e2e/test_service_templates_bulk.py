"""Reply templates and bulk replies as real processes against the sandbox: a template
filled with the buyer's name, the product's name, the order or posting; an unknown
template or placeholder (or one the item has no value for) is one line, exit 2, nothing
sent; ``--from-file`` of id,text lines (UTF-16, Windows-1251) sends each once, a failed
line makes exit 3 while the others land, a second run resends nothing, ``--max`` stops
before anything is sent; ``--parent`` answers a comment of a review's thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from orders_support import recent_posting

from ozonctl.cli.write_schemas import SERVICE_OUTCOMES

pytestmark = pytest.mark.e2e

TEMPLATES = """\
thanks = "Здравствуйте, {buyer}! {product} подойдёт."
review = "Спасибо за отзыв о «{product}» (SKU {sku})."
[order]
text = "Заказ {order} отправим сегодня."
[posting]
text = "Уточните адрес для отправления {posting}."
"""
ANSWER = "/v1/question/answer/create"
COMMENT = "/v1/review/comment/create"


def write_templates(home: Path, text: str = TEMPLATES, name: str = "templates.toml") -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / name
    path.write_text(text, encoding="utf-8")
    return path


def one_error(result: Any) -> str:
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def product_name(ozonctl: Any, sku: int) -> str:
    rows = ozonctl("listing", "list", "--all", "--json").json()
    return str(next(r["name"] for r in rows if r.get("sku") == sku))


def test_templates_filled_listed_and_refused(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    write_templates(ozonctl_home)
    listed = ozonctl("inbox", "templates", "--json")
    assert listed.exit_code == 0, listed.stderr
    names = {t["name"]: t["placeholders"] for t in listed.json()}
    assert names == {
        "thanks": "buyer product",
        "review": "product sku",
        "order": "order",
        "posting": "posting",
    }
    q = ozonctl("question", "list", "--unanswered", "--json").json()[0]
    answered = ozonctl("question", "answer", q["id"], "--template", "thanks", "--yes")
    assert answered.exit_code == 0, answered.stderr
    sent = sandbox.requests(ANSWER)[-1]["body"]["text"]
    assert sent == f"Здравствуйте, {q['author_name']}! {product_name(ozonctl, q['sku'])} подойдёт."
    r = ozonctl("review", "list", "--unanswered", "--json").json()[0]
    assert ozonctl("review", "reply", r["id"], "--template", "review", "--yes").exit_code == 0
    assert sandbox.requests(COMMENT)[-1]["body"]["text"] == (
        f"Спасибо за отзыв о «{product_name(ozonctl, r['sku'])}» (SKU {r['sku']})."
    )
    chat = ozonctl("chat", "list", "--unread", "--json").json()[0]["id"]
    order = ozonctl("chat", "show", chat, "--json").json()["order_number"]
    assert ozonctl("chat", "send", chat, "--template", "order", "--yes").exit_code == 0
    assert sandbox.requests("/v1/chat/send/message")[-1]["body"]["text"] == (
        f"Заказ {order} отправим сегодня."
    )
    # refusals: one line, exit 2, nothing sent
    before = len(sandbox.requests(COMMENT))
    r2 = ozonctl("review", "list", "--unanswered", "--json").json()[0]["id"]
    for template, said in (("nope", "no template 'nope'"), ("thanks", "{buyer}")):
        result = ozonctl("review", "reply", r2, "--template", template, "--yes")
        assert result.exit_code == 2 and said in one_error(result), result.stderr
    both = ozonctl("review", "reply", r2, "--text", "a", "--template", "review", "--yes")
    assert both.exit_code == 2
    write_templates(ozonctl_home, 'bad = "Привет, {name}!"\n')
    unknown = ozonctl("inbox", "templates")
    assert unknown.exit_code == 2 and "{name}" in one_error(unknown)
    assert len(sandbox.requests(COMMENT)) == before
    custom = write_templates(ozonctl_home, name="мои шаблоны.toml")
    assert ozonctl("config", "set", "templates", str(custom)).exit_code == 0
    assert len(ozonctl("inbox", "templates", "--json").json()) == 4
    assert custom.read_text(encoding="utf-8") == TEMPLATES  # read, never changed


def test_chat_start_with_a_posting_template(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    write_templates(ozonctl_home)
    recent = recent_posting(sandbox, ozonctl)
    started = ozonctl("chat", "start", recent, "--template", "posting", "--yes", "--json")
    assert started.exit_code == 0, started.stderr
    assert sandbox.requests("/v1/chat/send/message")[-1]["body"] == {
        "chat_id": started.json()["chat_id"],
        "text": f"Уточните адрес для отправления {recent}.",
    }


def test_bulk_replies_from_a_file_partial_failure_and_rerun(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    ids = [r["id"] for r in ozonctl("review", "list", "--unanswered", "--json").json()[:3]]
    lines = [f"{ids[0]},Спасибо за отзыв!", f"{ids[1]};Спасибо, 谢谢", "no-such-review,Спасибо"]
    lines += [f"{ids[2]}\tБлагодарим!"]
    path = tmp_path / "ответы.csv"
    path.write_text("\n".join(lines), encoding="utf-16")
    capped = ozonctl("review", "reply", "--from-file", str(path), "--max", "3", "--yes")
    assert capped.exit_code == 2 and "--max 3" in one_error(capped)
    no_yes = ozonctl("review", "reply", "--from-file", str(path))
    assert no_yes.exit_code == 2 and sandbox.requests(COMMENT) == []
    result = ozonctl("review", "reply", "--from-file", str(path), "--yes", "--json")
    assert result.exit_code == 3, result.stderr
    outcomes = {o["review_id"]: o["outcome"] for o in result.json()["items"]}
    assert result.json()["counts"] == {"replied": 3, "failed": 1}
    items = jsonschema.Draft202012Validator(SERVICE_OUTCOMES["review"].json_schema())
    assert not [e.message for o in result.json()["items"] for e in items.iter_errors(o)]
    failed = next(o for o in result.json()["items"] if o["outcome"] == "failed")
    assert failed["journal_ref"] is None and failed["error"]
    assert outcomes == {
        ids[0]: "replied",
        ids[1]: "replied",
        "no-such-review": "failed",
        ids[2]: "replied",
    }
    texts = [e["body"]["text"] for e in sandbox.requests(COMMENT)]
    assert texts == ["Спасибо за отзыв!", "Спасибо, 谢谢", "Благодарим!"]
    again = ozonctl("review", "reply", "--from-file", str(path), "--yes", "--json")
    assert again.exit_code == 3
    assert [o["outcome"] for o in again.json()["items"]] == [
        "already_done",
        "already_done",
        "failed",
        "already_done",
    ]
    assert len(sandbox.requests(COMMENT)) == 3


def test_bulk_answers_windows_1251_and_text_checked_first(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    qs = ozonctl("question", "list", "--unanswered", "--json").json()[:2]
    path = tmp_path / "answers.csv"
    path.write_bytes(f"{qs[0]['id']},Да, подойдёт\n{qs[1]['id']},Нет\n".encode("cp1251"))
    sent = ozonctl("question", "answer", "--from-file", str(path), "--yes")
    assert sent.exit_code == 0, sent.stderr
    assert [e["body"]["text"] for e in sandbox.requests(ANSWER)] == ["Да, подойдёт", "Нет"]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{qs[0]['id']},Да\n{qs[1]['id']},я\n", encoding="utf-8")
    refused = ozonctl("question", "answer", "--from-file", str(bad), "--yes")
    assert refused.exit_code == 2 and "line 2" in one_error(refused)
    assert len(sandbox.requests(ANSWER)) == 2


def test_reply_to_a_comment_of_the_thread(sandbox: Any, ozonctl: Any) -> None:
    answered = next(
        r for r in ozonctl("review", "list", "--json").json() if r["comments_count"] > 0
    )
    comment = ozonctl("review", "show", answered["id"], "--json").json()["comments"][0]["id"]
    result = ozonctl(
        "review", "reply", answered["id"], "--parent", comment, "--text", "Уточняем", "--yes"
    )
    assert result.exit_code == 0, result.stderr
    assert sandbox.requests(COMMENT)[-1]["body"]["parent_comment_id"] == comment
    shown = ozonctl("review", "show", answered["id"], "--json").json()["comments"]
    assert shown[-1]["parent_comment_id"] == comment and shown[-1]["text"] == "Уточняем"
