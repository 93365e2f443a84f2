"""Product questions: ``/v1/question/*``, refused with 403 unless the shop's tier is
Premium Plus or Premium Pro (``/__sandbox/subscription``)."""

from __future__ import annotations

from collections import Counter

from ..buyers import PLUS_TIERS, Buyers, Question
from ..errors import NOT_FOUND, PERMISSION_DENIED, ApiError, bad_request
from ..fields import obj, opt_str, page_limit, req_int, req_str, token_list
from ..values import iso, parse_moment, within
from .base import Body, Ctx, route

DENIED = "the method is available to sellers with the Premium Plus or Premium Pro subscription"
LIST_PAGE = 10
"""The answer schema of /v1/question/list: "questions" has at most 10 items, whatever
``limit`` (documented up to 100) asks."""
ANSWER_CHARS = (2, 3000)
"""/v1/question/answer/create: "Текст ответа объёмом от 2 до 3000 символов"."""
STATUSES = ("ALL", "NEW", "VIEWED", "PROCESSED", "UNPROCESSED")


def plus(ctx: Ctx) -> Buyers:
    if ctx.shop.reviews.subscription not in PLUS_TIERS:
        raise ApiError(403, PERMISSION_DENIED, DENIED)
    return ctx.shop.buyers


def _question(ctx: Ctx, question_id: str) -> Question:
    found = plus(ctx).question(question_id)
    if found is None:
        raise ApiError(404, NOT_FOUND, f"question {question_id} not found")
    return found


def _shown(q: Question) -> Body:
    return {
        "id": q.id,
        "sku": q.sku,
        "text": q.text,
        "author_name": q.author_name,
        "status": q.status,
        "answers_count": len(q.answers),
        "published_at": iso(q.published_at),
        "product_url": f"https://www.ozon.ru/product/{q.sku}/",
        "question_link": f"https://www.ozon.ru/product/{q.sku}/questions/?q={q.id}",
    }


def _matches(q: Question, status: str) -> bool:
    if status == "UNPROCESSED":
        return q.status in ("NEW", "VIEWED")
    return status in ("ALL", q.status)


@route("/v1/question/list")
def question_list(ctx: Ctx, body: Body) -> Body:
    buyers = plus(ctx)
    limit = min(page_limit(body, 100, LIST_PAGE), LIST_PAGE)
    wanted = obj(body, "filter")
    status = opt_str(wanted, "status", "ALL") or "ALL"
    if status not in STATUSES:
        raise bad_request(f"filter.status must be one of {', '.join(STATUSES)}")
    since = parse_moment(wanted.get("date_from")) if wanted.get("date_from") else None
    until = parse_moment(wanted.get("date_to")) if wanted.get("date_to") else None
    chosen = [
        q for q in buyers.questions if _matches(q, status) and within(q.published_at, since, until)
    ]
    if opt_str(body, "sort_dir", "DESC") == "ASC":
        chosen.reverse()
    page, last_id, more = token_list(body, chosen, limit, "last_id")
    return {"questions": [_shown(q) for q in page], "last_id": last_id, "has_next": more}


@route("/v1/question/info", required=("question_id",))
def question_info(ctx: Ctx, body: Body) -> Body:
    return _shown(_question(ctx, req_str(body, "question_id")))


@route("/v1/question/count")
def question_count(ctx: Ctx, body: Body) -> Body:
    items = plus(ctx).questions
    counts = Counter(q.status for q in items)
    return {
        "all": len(items),
        "new": counts["NEW"],
        "viewed": counts["VIEWED"],
        "processed": counts["PROCESSED"],
        "unprocessed": counts["NEW"] + counts["VIEWED"],
    }


@route("/v1/question/answer/list", required=("question_id", "sku"))
def answer_list(ctx: Ctx, body: Body) -> Body:
    q = _question(ctx, req_str(body, "question_id"))
    if req_int(body, "sku") != q.sku:
        raise bad_request(f"sku {body.get('sku')} is not the SKU of question {q.id}")
    return {
        "answers": [
            {
                "id": a.id,
                "question_id": q.id,
                "sku": q.sku,
                "text": a.text,
                "author_name": a.author_name,
                "published_at": iso(a.published_at),
                "status_publication": "PUBLISHED",
            }
            for a in q.answers
        ],
        "last_id": "",
    }


@route("/v1/question/answer/create", required=("question_id", "sku", "text"))
def answer_create(ctx: Ctx, body: Body) -> Body:
    q = _question(ctx, req_str(body, "question_id"))
    if req_int(body, "sku") != q.sku:
        raise bad_request(f"sku {body.get('sku')} is not the SKU of question {q.id}")
    text = req_str(body, "text")
    low, high = ANSWER_CHARS
    if not low <= len(text) <= high:
        raise bad_request(f"text: from {low} to {high} characters, got {len(text)}")
    return {"answer_id": ctx.shop.buyers.answer(q, text, ctx.shop.now).id}
