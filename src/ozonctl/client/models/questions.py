"""Buyers' questions about the shop's products and the answers under them
(``/v1/question/*``; Ozon: "available to sellers with the Premium Plus subscription",
Premium Pro too per ../shared/OZON-NOTES.md)."""

from __future__ import annotations

from ozonctl.client.models.common import Int64, Lenient, Moment

ANSWER_MIN_CHARS = 2
ANSWER_MAX_CHARS = 3000
"""Ozon's limits for /v1/question/answer/create: "Текст ответа объёмом от 2 до 3000
символов" (characters, so a Russian or Chinese letter counts one)."""

WAITING = ("NEW", "VIEWED")
"""Statuses of a question nobody has dealt with yet (Ozon's ``UNPROCESSED`` filter)."""


class Question(Lenient):
    """One question as ``/v1/question/list`` and ``/v1/question/info`` send it."""

    id: str
    sku: Int64 = 0
    text: str = ""
    author_name: str = ""
    status: str = ""
    answers_count: int = 0
    published_at: Moment = None
    product_url: str = ""
    question_link: str = ""

    @property
    def answered(self) -> bool:
        """It has an answer or the seller marked it processed."""
        return self.answers_count > 0 or self.status == "PROCESSED"


class Answer(Lenient):
    id: str
    question_id: str = ""
    sku: Int64 = 0
    text: str = ""
    author_name: str = ""
    published_at: Moment = None
    status_publication: str = ""


class QuestionCount(Lenient):
    """``/v1/question/count``: how many questions are in each status."""

    all: int = 0
    new: int = 0
    viewed: int = 0
    processed: int = 0
    unprocessed: int = 0


class AnswerCreated(Lenient):
    answer_id: str = ""
