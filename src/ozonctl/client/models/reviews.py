"""Reviews of the shop's products and the comments under them (``/v2/review/*``,
``/v1/review/comment/*``)."""

from __future__ import annotations

from pydantic import Field

from ozonctl.client.models.common import Int64, Lenient, Moment, Strict

STATUSES = ("NEW", "VIEWED", "PROCESSED")
REPLY_MAX_CHARS = 3000
"""The longest reply ozonctl sends, in characters (not bytes: Russian and Chinese count one
each). Ozon's document names no limit for /v1/review/comment/create; 3000 is ozonctl's
cap, and the sandbox refuses longer texts the same way. Change it here when Ozon says."""
"""A review's status as Ozon keeps it; ``PROCESSED`` is what the seller marks done."""


class Review(Lenient):
    """One review as ``/v2/review/list`` and ``/v2/review/info`` send it (the info
    answer adds photos, videos, likes)."""

    id: str
    sku: Int64 = 0
    rating: int = 0
    text: str = ""
    status: str = ""
    order_status: str = ""
    published_at: Moment = None
    comments_amount: int = 0
    photos_amount: int = 0
    videos_amount: int = 0
    is_rating_participant: bool = False
    likes_amount: int = 0
    dislikes_amount: int = 0

    @property
    def answered(self) -> bool:
        """Someone has commented on it or the seller marked it processed."""
        return self.comments_amount > 0 or self.status == "PROCESSED"


class Comment(Lenient):
    id: str
    text: str = ""
    published_at: Moment = None
    is_owner: bool = False
    is_official: bool = False
    is_published: bool = False
    is_rejected: bool = False
    deviation_reason: str = ""
    parent_comment_id: str = ""


class ReviewCount(Lenient):
    """``/v2/review/count``: how many reviews are in each status."""

    total: int = 0
    new: int = 0
    viewed: int = 0
    processed: int = 0


class ReviewFilters(Strict):
    status: str | None = None
    order_status: str | None = None
    published_from: str | None = None
    published_to: str | None = None
    skus: list[str] | None = Field(default=None, max_length=1000)


class CommentCreated(Lenient):
    comment_id: str = ""
