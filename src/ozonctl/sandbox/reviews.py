"""Seeded reviews of the shop's products, the comments under them, and the subscription
tier that decides whether the review methods answer at all.

Deterministic from the shop's seed: ratings skew to 5 like a real shop's, some carry
photos, about half have a seller comment and are ``PROCESSED``. Ozon's rule (its
document, every review method): "available to sellers with the Review management or
Premium Pro subscription"; any other tier gets 403.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .shop import Shop

TIERS = ("none", "premium", "premium-plus", "premium-pro", "reviews")
REVIEW_TIERS = frozenset({"premium-pro", "reviews"})
"""Tiers that include review management (Ozon: Review management or Premium Pro)."""

MAX_REVIEWS = 60
MAX_COMMENT_CHARS = 3000
"""The reply cap of ozonctl's client (``models/reviews.py`` REPLY_MAX_CHARS); Ozon's
document names none."""
TEXTS = (
    "Отличный товар, всё пришло быстро.",
    "Качество хорошее, но упаковка помята.",
    "Не соответствует описанию, размер меньше.",
    "Пришёл с браком, жду замену.",
    "Нормально за свои деньги.",
    "Очень доволен, рекомендую!",
    "质量很好，发货快。",
    "",
)
SELLER_REPLY = "Спасибо за отзыв! Мы рады, что товар понравился."


@dataclass(slots=True)
class Comment:
    id: str
    text: str
    published_at: datetime
    is_owner: bool
    parent_comment_id: str = ""


@dataclass(slots=True)
class Review:
    id: str
    sku: int
    rating: int
    text: str
    published_at: datetime
    status: str
    order_status: str
    photos: int
    videos: int
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Reviews:
    items: list[Review]
    """Newest first."""
    subscription: str = "premium-pro"
    next_comment: int = 1

    @classmethod
    def generate(cls, shop: Shop) -> Reviews:
        rng = random.Random(f"reviews-{shop.seed}")
        cat = shop.catalog
        sold = [i for i in range(cat.n) if cat.exists(i) and cat.sku(i)]
        items: list[Review] = []
        reviews = cls(items)
        for k in range(min(MAX_REVIEWS, len(sold))):
            i = sold[rng.randrange(len(sold))]
            rating = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 3, 8))[0]
            age = timedelta(hours=6 + k * 19 + rng.randrange(12), minutes=rng.randrange(60))
            published = shop.now - age
            answered = k % 2 == 1
            review = Review(
                id=f"0193{shop.seed:04x}-{k:04x}-7000-8000-{cat.sku(i):012x}",
                sku=cat.sku(i),
                rating=rating,
                text=TEXTS[rng.randrange(len(TEXTS))],
                published_at=published,
                status="PROCESSED" if answered else ("VIEWED" if k % 3 == 0 else "NEW"),
                order_status="CANCELLED" if k % 11 == 5 else "DELIVERED",
                photos=rng.choice((0, 0, 0, 1, 3)),
                videos=1 if k % 17 == 4 else 0,
            )
            if answered:
                reviews.add_comment(review, SELLER_REPLY, published + timedelta(hours=3))
            items.append(review)
        return reviews

    @property
    def allowed(self) -> bool:
        return self.subscription in REVIEW_TIERS

    def by_id(self, review_id: str) -> Review | None:
        return next((r for r in self.items if r.id == review_id), None)

    def add_comment(self, review: Review, text: str, when: datetime, parent: str = "") -> Comment:
        comment = Comment(f"{self.next_comment:019d}", text, when, True, parent)
        self.next_comment += 1
        review.comments.append(comment)
        return comment
