"""Reviews: list, one review, counts by status, comments, replies, status changes.

Every method needs Ozon's review-management subscription or Premium Pro; without it Ozon
answers 403, which the CLI names (``commands/review.py``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ozonctl.client.models.reviews import (
    Comment,
    CommentCreated,
    Review,
    ReviewCount,
    ReviewFilters,
)
from ozonctl.client.resources._base import Resource

PAGE = 100
"""``/v2/review/list`` takes 20 to 100 reviews a page; the most costs the fewest calls."""


class ReviewsResource(Resource):
    def list(
        self, filters: ReviewFilters | None = None, *, newest_first: bool = True
    ) -> Iterator[Review]:
        body = {"sort_dir": "DESC" if newest_first else "ASC"}
        wanted = filters.body() if filters else {}
        if wanted:
            body["filters"] = wanted  # type: ignore[assignment]
        for raw in self._items("review.list", body, limit=PAGE):
            yield Review.model_validate(raw)

    def info(self, review_id: str) -> Review:
        return Review.model_validate(self._call("review.info", {"review_id": review_id}))

    def count(self) -> ReviewCount:
        """How many reviews are in each status: one call, whatever the shop's size."""
        return ReviewCount.model_validate(self._call("review.count", {}))

    def comments(self, review_id: str) -> Iterator[Comment]:
        body = {"review_id": review_id, "sort_dir": "ASC"}
        for raw in self._items("review.comment.list", body, limit=PAGE):
            yield Comment.model_validate(raw)

    def reply(
        self, review_id: str, text: str, *, mark_processed: bool = False, parent: str = ""
    ) -> str:
        """Post the seller's comment (under comment ``parent`` of the thread when given);
        the comment's id. A write: never resent once it may have run (the client raises
        ``WriteOutcomeUnknown``)."""
        body: dict[str, object] = {
            "review_id": review_id,
            "text": text,
            "mark_review_as_processed": mark_processed,
        }
        if parent:
            body["parent_comment_id"] = parent
        return CommentCreated.model_validate(self._call("review.comment.create", body)).comment_id

    def change_status(self, review_ids: Sequence[str], status: str) -> None:
        self._call("review.change_status", {"review_ids": list(review_ids), "status": status})
