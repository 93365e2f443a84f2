"""Product questions: list, one question, counts by status, answers, answering.

Every method needs Premium Plus (or Premium Pro); without it Ozon answers 403, which the
CLI names (``commands/_service.py``)."""

from __future__ import annotations

from collections.abc import Iterator

from ozonctl.client.models.questions import (
    Answer,
    AnswerCreated,
    Question,
    QuestionCount,
)
from ozonctl.client.resources._base import Resource

PAGE = 100
"""``/v1/question/list`` takes at most 100 a page (its answer schema says 10 items at
most: the walk follows ``last_id``/``has_next`` whatever comes)."""


class QuestionsResource(Resource):
    def list(self, status: str | None = None, *, newest_first: bool = True) -> Iterator[Question]:
        """Questions, filtered by Ozon's status (``NEW``, ``VIEWED``, ``PROCESSED``,
        ``UNPROCESSED``; None: all). Ozon's filter takes no SKU."""
        body: dict[str, object] = {"sort_dir": "DESC" if newest_first else "ASC"}
        if status:
            body["filter"] = {"status": status}
        for raw in self._items("question.list", body, limit=PAGE):
            yield Question.model_validate(raw)

    def info(self, question_id: str) -> Question:
        return Question.model_validate(self._call("question.info", {"question_id": question_id}))

    def count(self) -> QuestionCount:
        """How many questions are in each status: one call."""
        return QuestionCount.model_validate(self._call("question.count", {}))

    def answers(self, question_id: str, sku: int) -> Iterator[Answer]:
        body = {"question_id": question_id, "sku": sku}
        for raw in self._items("question.answer.list", body):
            yield Answer.model_validate(raw)

    def answer(self, question_id: str, sku: int, text: str) -> str:
        """Post the seller's answer; its id. A write: never resent once it may have run."""
        body = {"question_id": question_id, "sku": sku, "text": text}
        return AnswerCreated.model_validate(self._call("question.answer.create", body)).answer_id
