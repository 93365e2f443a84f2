"""``question``: buyers' questions about the shop's products — list, show with answers,
answer (one, or many ``--from-file``).

Calls go through ``client.questions`` (``/v1/question/*``); answers are journalled and
sent once by ``_writes``. Ozon answers every question method with 403 unless the seller
has Premium Plus (or Premium Pro): one line naming it, exit 4.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.cli.products import ProductFilterOption, product_skus
from ozonctl.commands._service import (
    FROM_FILE,
    MAX,
    PLUS,
    RETRY_UNKNOWN,
    TEMPLATE,
    Subscribed,
)
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.questions import Question

app = typer.Typer(
    help="Buyers' questions about the shop's products: list, show, answer.",
    no_args_is_help=True,
)

STATUSES = ("ALL", "NEW", "VIEWED", "PROCESSED", "UNPROCESSED")

subscribed = Subscribed("product questions", PLUS)
"""Ozon's 403 on these methods turned into one line naming Premium Plus."""


def question_row(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "published_at": q.published_at,
        "sku": q.sku,
        "status": q.status,
        "answers": q.answers_count,
        "author_name": q.author_name,
        "text": q.text,
    }


@app.command("list")
def list_(
    unanswered: Annotated[
        bool,
        typer.Option("--unanswered", help="Only questions with no answer, not processed."),
    ] = False,
    product: ProductFilterOption = None,
    status: Annotated[
        str, typer.Option("--status", callback=one_of(*STATUSES), help="Ozon's question status.")
    ] = "ALL",
    from_file: FromFileOption = None,
) -> None:
    """The shop's questions, newest first.

    Ozon filters by status; --product (by offer id, SKU or product id: their SKUs) and
    --unanswered are applied to what it sends (its filter takes no SKU)."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    named = ids_from(product, from_file)
    skus = set(product_skus(ctx, named)) if named else set()
    questions = ctx.client().questions
    wanted = "UNPROCESSED" if unanswered and status == "ALL" else status

    def rows() -> Iterator[dict[str, Any]]:
        for q in subscribed.each(questions.list(None if wanted == "ALL" else wanted)):
            if (skus and q.sku not in skus) or (unanswered and q.answered):
                continue
            yield question_row(q)

    columns = [
        Column("id", "ID"),
        Column("published_at", "Published"),
        Column("sku", "SKU", justify="right"),
        Column("status", "Status"),
        Column("answers", "Answers", justify="right"),
        Column("author_name", "Buyer", max_width=16),
        Column("text", "Question", max_width=60),
    ]
    ctx.output.rows(columns, rows(), empty="no questions match")


@app.command("show")
def show(question_id: Annotated[str, typer.Argument(help="The question's id.")]) -> None:
    """One question with every answer under it."""
    from ozonctl.cli.output import Column
    from ozonctl.commands._service import show_thread

    ctx = app_context()
    questions = ctx.client().questions
    q = subscribed(lambda: questions.info(question_id))
    answers = subscribed(lambda: list(questions.answers(question_id, q.sku)))
    doc = {
        **question_row(q),
        "product_url": q.product_url,
        "question_link": q.question_link,
        "answers": [
            {
                "id": a.id,
                "published_at": a.published_at,
                "author_name": a.author_name,
                "status": a.status_publication,
                "text": a.text,
            }
            for a in answers
        ],
    }

    fields = [("question", q.id), ("sku", q.sku), ("status", q.status)]
    fields += [("buyer", q.author_name), ("published", q.published_at), ("text", q.text)]
    columns = [
        Column("published_at", "Published"),
        Column("status", "Status"),
        Column("text", "Answer", max_width=70),
    ]
    show_thread(ctx, doc, fields, "answers", columns, "no answers yet")


def answer_text(text: str) -> str:
    from ozonctl.client.models.questions import ANSWER_MAX_CHARS, ANSWER_MIN_CHARS
    from ozonctl.commands._service import checked_text

    return checked_text(text, ANSWER_MIN_CHARS, ANSWER_MAX_CHARS)


def _answer_write(ctx: Any, question_id: str, text: str | None, template: str | None) -> Any:
    """The answer to one question as a journalled write (the question read first)."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import product_name, text_or_template

    client = ctx.client()
    questions = client.questions
    q = subscribed(lambda: questions.info(question_id))
    values = lambda: {  # noqa: E731
        "buyer": q.author_name,
        "sku": q.sku,
        "product": product_name(client, q.sku),
    }
    body = answer_text(text_or_template(ctx, text, template, values))

    def landed(op: Any) -> bool:
        wanted = op.header.get("text")
        return any(a.text == wanted for a in questions.answers(question_id, q.sku))

    return writes.Write(
        area="question",
        kind="answer",
        target=question_id,
        what={"text": body},
        plan=f"answer question {question_id} (SKU {q.sku}, «{q.text}»): «{body}»",
        question=f"Post this answer to question {question_id}? Buyers will see it",
        done="answered",
        send=lambda: subscribed(lambda: questions.answer(question_id, q.sku, body)),
        landed=landed,
    )


@app.command("answer")
def answer(
    question_id: Annotated[
        str | None, typer.Argument(help="The question's id (not with --from-file).")
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="The answer: 2 to 3000 characters (Ozon's limits)."),
    ] = None,
    template: Annotated[str | None, TEMPLATE] = None,
    from_file: Annotated[str | None, FROM_FILE] = None,
    max_items: Annotated[int | None, MAX] = None,
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Answer a buyer's question, as the seller; buyers see it.

    --dry-run shows the text; a terminal asks, a script needs --yes. Journalled before it
    is sent and never sent twice: after a lost answer ozonctl looks for it under the
    question first. --from-file sends many (one 'question id,text' a line; exit 3 when
    any failed)."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import finish, send_file

    ctx = app_context()
    if from_file is not None:
        if question_id or text or template:
            raise UsageError("--from-file takes no question id, --text or --template")
        send_file(
            ctx,
            from_file,
            answer_text,
            lambda qid, t: _answer_write(ctx, qid, t, None),
            retry_unknown,
            area="question",
            what="answers",
            max_items=max_items,
        )
        return
    if not question_id:
        raise UsageError("give a question id, or --from-file FILE")
    write = _answer_write(ctx, question_id, text, template)
    finish(ctx, writes.run(ctx, write, retry_unknown), "question_id", "answer_id")
