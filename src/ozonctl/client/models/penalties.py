"""The FBS/rFBS error index and the postings that cost it (``/v1/rating/index/fbs/*``)
and the ratings' history (``/v1/rating/history``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from ozonctl.client.models.common import Dec, Moment
from ozonctl.client.models.postings import Lenient, NoText, OrEmpty, Strict


class IndexError_(Lenient):
    """A posting that cost index points and money: ``SELLER_CANCELLATION`` or
    ``SELLER_DELAY``."""

    posting_number: str
    posting_error_type: Annotated[str, NoText] = ""
    error_at: Moment | None = None
    product_price: Dec | None = None
    product_price_currency_code: Annotated[str, NoText] = ""
    charge_percent: Dec | None = None
    charge_price: Dec | None = None
    charge_price_currency_code: Annotated[str, NoText] = ""
    index: Dec | None = None
    delivery_schema: Annotated[str, NoText] = ""
    has_grace_status: bool = False


class IndexDefect(Lenient):
    date: Annotated[str, NoText] = ""
    index_by_date: Dec | None = None
    processing_costs_sum_by_date: Dec | None = None


class IndexInfo(Lenient):
    index: Dec | None = None
    period_from: Annotated[str, NoText] = ""
    """A plain string in Ozon's document (no format): read with ``moment_of``."""
    period_to: Annotated[str, NoText] = ""
    processing_costs_sum: Dec | None = None
    currency_code: Annotated[str, NoText] = ""
    defects: Annotated[list[IndexDefect], OrEmpty] = Field(default_factory=list)


def moment_of(text: str) -> dt.datetime | None:
    """A period bound as a moment (a date alone is its first second, UTC); None when it
    is not a date."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class IndexPostingsFilter(Strict):
    date_from: str
    date_to: str
    posting_numbers: list[str] | None = None


class RatingStatus(Lenient):
    danger: bool = False
    warning: bool = False
    premium: bool = False


class RatingValue(Lenient):
    date_from: Moment | None = None
    date_to: Moment | None = None
    value: Dec | None = None
    status: RatingStatus = Field(default_factory=RatingStatus)


class RatingSeries(Lenient):
    rating: Annotated[str, NoText] = ""
    values: Annotated[list[RatingValue], OrEmpty] = Field(default_factory=list)
    danger_threshold: Dec | None = None
    warning_threshold: Dec | None = None


class RatingHistory(Lenient):
    ratings: Annotated[list[RatingSeries], OrEmpty] = Field(default_factory=list)


class RatingHistoryRequest(Strict):
    date_from: str
    date_to: str
    ratings: list[str]
