"""The cancellation guard: the shop's cancellation figures from Ozon's seller rating
(``/v1/rating/summary``, the FBS/rFBS error index) and the threshold a cancel is checked
against.

Ozon's summary gives each rating's value and a status (``OK``, ``WARNING``,
``CRITICAL``) but no threshold number. ozonctl therefore refuses a cancel when Ozon says
``CRITICAL`` or when the rate is at or over ozonctl's threshold: 5 % unless set with
``--threshold``, ``OZONCTL_CANCEL_THRESHOLD`` or ``cancel_threshold`` in the profile's
section of config.toml (``ozonctl config set cancel_threshold 3``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.postings import RatingItem, RatingSummary

DEFAULT_THRESHOLD = Decimal("5")
"""Percent. ozonctl's own default: Ozon's summary reports no number."""
THRESHOLD_ENV = "OZONCTL_CANCEL_THRESHOLD"
THRESHOLD_KEY = "cancel_threshold"

CANCELLATION_CODES = (
    "rating_general_indicator_fbs_rfbs",
    "rating_cancellation",
    "rating_cancellation_rate",
    "rating_seller_cancellation",
)
"""Rating codes that carry the shop's cancellations, the one in Ozon's document first:
``rating_general_indicator_fbs_rfbs``, the FBS/rFBS error index — the share of FBS
postings the seller cancelled (reasons that ``affect_cancellation_rating``) or shipped
late. A rating whose code or name speaks of cancellations (and is not about FBO
supplies) is taken when none of these is there."""


def is_cancellation_rating(item: RatingItem) -> bool:
    code, name = item.rating.lower(), item.name.lower()
    if code in CANCELLATION_CODES:
        return True
    if "supply" in code or "поставк" in name:
        return False
    return "cancel" in code or "отмен" in name


def cancellation_item(summary: RatingSummary) -> RatingItem | None:
    items = [i for g in summary.groups for i in g.items]
    for code in CANCELLATION_CODES:
        for item in items:
            if item.rating.lower() == code:
                return item
    return next((i for i in items if is_cancellation_rating(i)), None)


def parse_threshold(value: Any, source: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise UsageError(f"{source}: {value!r} is not a percentage") from None
    if not number.is_finite() or number <= 0 or number > 100:
        raise UsageError(f"{source}: {value!r} must be a percentage above 0 and at most 100")
    return number


def resolve_threshold(option: str | None, stored: Any = None) -> tuple[Decimal, str]:
    """The threshold and where it came from: option, environment, config (``stored``:
    the profile's ``cancel_threshold``), default."""
    if option is not None:
        return parse_threshold(option, "--threshold"), "--threshold"
    env = os.environ.get(THRESHOLD_ENV, "").strip()
    if env:
        return parse_threshold(env, THRESHOLD_ENV), THRESHOLD_ENV
    if stored is not None:
        return parse_threshold(stored, f"config {THRESHOLD_KEY}"), "config"
    return DEFAULT_THRESHOLD, "ozonctl default"


@dataclass
class Figures:
    item: RatingItem | None
    threshold: Decimal
    source: str

    @property
    def value(self) -> Decimal | None:
        return None if self.item is None else self.item.current_value

    @property
    def warning(self) -> bool:
        """Ozon flags the rate as ``WARNING`` and it is not over the threshold."""
        return self.item is not None and self.item.status.upper() == "WARNING" and not self.over

    @property
    def over(self) -> bool:
        """At or over the threshold, or Ozon calls the rating critical."""
        if self.item is None:
            return False
        if self.item.status.upper() == "CRITICAL":
            return True
        return self.value is not None and self.value >= self.threshold

    def describe(self) -> str:
        if self.item is None:
            return (
                "Ozon's seller rating reports no cancellation rate; the threshold "
                f"({self.threshold}%) cannot be checked"
            )
        past = f", was {self.item.past_value}%" if self.item.past_value is not None else ""
        return (
            f"cancellations: {self.item.name or self.item.rating} {self.value}%{past} "
            f"(Ozon status {self.item.status or 'unknown'}); "
            f"threshold {self.threshold}% ({self.source})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rating": self.item.rating if self.item else None,
            "current_value": self.value,
            "past_value": self.item.past_value if self.item else None,
            "ozon_status": self.item.status if self.item else None,
            "threshold": self.threshold,
            "threshold_source": self.source,
            "over_threshold": self.over,
        }


def figures(client: OzonClient, threshold: Decimal, source: str) -> Figures:
    """The shop's cancellation figures from Ozon's seller rating (one call)."""
    return Figures(cancellation_item(client.postings.rating_summary()), threshold, source)


def refuse_over_threshold(found: Figures, force: bool) -> None:
    """Refuse a cancel at or over the threshold unless ``force``."""
    if found.over and not force:
        raise OzonctlError(
            "the shop is at or over the threshold of cancellations — "
            f"{found.describe()}; another cancel may cost ranking or get the shop blocked",
            hint="ship it if you can (`ozonctl order at-risk`); to cancel anyway add --force",
        )
