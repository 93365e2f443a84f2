"""Reviews: ``/v2/review/*`` and ``/v1/review/comment/*``, refused with 403 unless the
shop's subscription includes review management (``/__sandbox/subscription``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from ..errors import NOT_FOUND, PERMISSION_DENIED, ApiError, bad_request
from ..fields import (
    obj,
    opt_bool,
    opt_int,
    opt_str,
    page_limit,
    req_str,
    str_list,
    token_list,
)
from ..reviews import MAX_COMMENT_CHARS, Review, Reviews
from ..values import iso, within
from .base import Body, Ctx, route

DENIED = "the method is available to sellers with the Review management or Premium Pro subscription"


def _reviews(ctx: Ctx) -> Reviews:
    reviews = ctx.shop.reviews
    if not reviews.allowed:
        raise ApiError(403, PERMISSION_DENIED, DENIED)
    return reviews


def _review(ctx: Ctx, review_id: str) -> Review:
    found = _reviews(ctx).by_id(review_id)
    if found is None:
        raise ApiError(404, NOT_FOUND, f"review {review_id} not found")
    return found


def _moment(body: Body, name: str) -> datetime | None:
    text = opt_str(body, name)
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _listed(r: Review) -> Body:
    return {
        "id": r.id,
        "sku": r.sku,
        "rating": r.rating,
        "text": r.text,
        "published_at": iso(r.published_at),
        "status": r.status,
        "order_status": r.order_status,
        "comments_amount": len(r.comments),
        "photos_amount": r.photos,
        "videos_amount": r.videos,
        "is_rating_participant": r.order_status == "DELIVERED",
    }


@route("/v2/review/list", required=("limit",))
def review_list(ctx: Ctx, body: Body) -> Body:
    reviews = _reviews(ctx)
    limit = page_limit(body, 100, 100)
    filters = obj(body, "filters")
    status = opt_str(filters, "status", "ALL")
    order_status = opt_str(filters, "order_status", "ALL")
    skus = {int(s) for s in str_list(filters, "skus")}
    since, until = _moment(filters, "published_from"), _moment(filters, "published_to")
    chosen = [
        r
        for r in reviews.items
        if status in ("ALL", r.status)
        and order_status in ("ALL", r.order_status)
        and (not skus or r.sku in skus)
        and within(r.published_at, since, until)
    ]
    if opt_str(body, "sort_dir", "DESC") == "ASC":
        chosen.reverse()
    page, last_id, more = token_list(body, chosen, limit, "last_id")
    return {"reviews": [_listed(r) for r in page], "last_id": last_id, "has_next": more}


@route("/v2/review/info", required=("review_id",))
def review_info(ctx: Ctx, body: Body) -> Body:
    r = _review(ctx, req_str(body, "review_id"))
    photo = {"url": "https://cdn.example/review.jpg", "width": 800, "height": 600}
    return {
        **_listed(r),
        "likes_amount": 0,
        "dislikes_amount": 0,
        "photos": [photo] * r.photos,
        "videos": [],
    }


@route("/v2/review/count")
def review_count(ctx: Ctx, body: Body) -> Body:
    items = _reviews(ctx).items
    counts = Counter(r.status for r in items)
    return {
        "total": len(items),
        "new": counts["NEW"],
        "viewed": counts["VIEWED"],
        "processed": counts["PROCESSED"],
    }


@route("/v1/review/comment/list", required=("limit",))
def comment_list(ctx: Ctx, body: Body) -> Body:
    r = _review(ctx, req_str(body, "review_id"))
    limit = page_limit(body, 100, 100)
    offset = opt_int(body, "offset", 0) or 0
    comments = list(r.comments)
    if opt_str(body, "sort_dir", "ASC") == "DESC":
        comments.reverse()
    page = comments[offset : offset + limit]
    return {"comments": [_comment(c) for c in page], "offset": offset + len(page)}


def _comment(c: Any) -> Body:
    return {
        "id": c.id,
        "text": c.text,
        "published_at": iso(c.published_at),
        "is_owner": c.is_owner,
        "is_official": False,
        "is_published": True,
        "is_rejected": False,
        "likes_amount": 0,
        "dislikes_amount": 0,
        "parent_comment_id": c.parent_comment_id,
    }


@route("/v1/review/comment/create", required=("review_id", "text"))
def comment_create(ctx: Ctx, body: Body) -> Body:
    reviews = _reviews(ctx)
    r = _review(ctx, req_str(body, "review_id"))
    text = req_str(body, "text")
    if len(text) > MAX_COMMENT_CHARS:
        raise bad_request(f"text: at most {MAX_COMMENT_CHARS} characters, got {len(text)}")
    comment = reviews.add_comment(r, text, ctx.shop.now, opt_str(body, "parent_comment_id"))
    if opt_bool(body, "mark_review_as_processed"):
        r.status = "PROCESSED"
    return {"comment_id": comment.id}


@route("/v2/review/change-status", required=("review_ids", "status"))
def change_status(ctx: Ctx, body: Body) -> Body:
    found = [_review(ctx, review_id) for review_id in str_list(body, "review_ids")]
    status = req_str(body, "status")
    for r in found:
        r.status = status
    return {}
