"""Postings (FBS/rFBS and FBO), cancellation reasons, label tasks, tracking numbers,
returns and the seller rating.

Field names and types follow Ozon's documents (``/v4/posting/fbs/*list``,
``/v3/posting/fbs/get``, ``/v4/posting/fbs/ship``, ``/v3/posting/fbo/list``,
``/v1/returns/list``, ``/v1/rating/summary`` …). Ids arrive as numbers or strings;
product prices arrive as a Money object in the lists and as a string plus
``currency_code`` in ``/v3/posting/fbs/get`` — both land in ``price``/``currency_code``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from ozonctl.client.models.common import Dec, Int64, Int64Str, Moment
from ozonctl.client.models.common import Lenient as _Lenient
from ozonctl.client.models.common import Strict as _Strict


class Lenient(_Lenient):
    """A response model built on first use: a command pays only for the models it uses."""

    model_config = ConfigDict(defer_build=True)


class Strict(_Strict):
    """A request model built on first use."""

    model_config = ConfigDict(defer_build=True)


def _amount(v: Any) -> Any:
    """A price given as Money (``{"amount": "12.50", "currency": "RUB"}``) or as a
    plain string/number."""
    if isinstance(v, dict):
        return v.get("amount", v.get("price"))
    return v


Price = Annotated[Dec | None, BeforeValidator(_amount)]


def _none_to_list(v: Any) -> Any:
    return [] if v is None else v


OrEmpty = BeforeValidator(_none_to_list)
"""A list Ozon may send as ``null``."""

NoText = BeforeValidator(lambda v: "" if v is None else v)
"""A text Ozon may send as ``null``: none."""

Errors = BeforeValidator(
    lambda v: "" if v is None else "; ".join(map(str, v)) if isinstance(v, list) else v
)
"""A per-item error Ozon sends as text, ``null`` or a list (the rFBS status methods'
example: ``"error": []``): one line, empty when none."""

NotSet = BeforeValidator(lambda v: False if v is None else v)
"""A success flag Ozon may send as ``null``: not a success."""

UNFULFILLED_STATUSES = (
    "awaiting_registration",
    "acceptance_in_progress",
    "awaiting_approve",
    "awaiting_packaging",
    "awaiting_deliver",
    "arbitration",
    "client_arbitration",
)
"""Statuses of postings the seller still has to ship (``/v4/posting/fbs/unfulfilled``)."""

UNPACKED_STATUSES = frozenset(
    {"awaiting_registration", "acceptance_in_progress", "awaiting_approve", "awaiting_packaging"}
)
"""Postings not packed yet: their products must still come off the shelf."""

SHIP_FAILED = "ship_failed"


# --- postings -------------------------------------------------------------------------------


class PostingProduct(Lenient):
    sku: Int64 = 0
    offer_id: str = ""
    name: str = ""
    quantity: int = 0
    price: Price = None
    currency_code: str = ""

    @model_validator(mode="before")
    @classmethod
    def _currency(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("price"), dict):
            money = data["price"]
            currency = money.get("currency") or money.get("currency_code") or ""
            data = {**data, "currency_code": data.get("currency_code") or currency}
        return data

    @property
    def currency(self) -> str:
        """``currency_code``, under the name every JSON of ozonctl gives a currency."""
        return self.currency_code

    def __str__(self) -> str:
        """``SKU:QTY``, the form ``order ship --package`` takes back."""
        return f"{self.sku}:{self.quantity}"


class DeliveryMethod(Lenient):
    id: Int64 = 0
    name: str = ""
    warehouse_id: Int64 = 0
    warehouse: str = ""
    tpl_provider: str = ""


class Address(Lenient):
    address_tail: str = ""
    city: str = ""
    region: str = ""
    zip_code: str = ""
    comment: str = ""


class Customer(Lenient):
    """The buyer of an rFBS posting (Ozon gives it when the seller delivers)."""

    name: str = ""
    phone: str = ""
    address: Address | None = None


class Addressee(Lenient):
    """Who receives an rFBS posting."""

    name: str = ""
    phone: str = ""


class Cancellation(Lenient):
    cancel_reason_id: Int64 = 0
    cancel_reason: str = ""
    cancellation_type: str = ""
    cancellation_initiator: str = ""
    cancelled_after_ship: bool = False
    affect_cancellation_rating: bool = False


class RelatedPostings(Lenient):
    related_posting_numbers: Annotated[list[str], OrEmpty] = Field(default_factory=list)


class PostingBase(Lenient):
    """What FBS and FBO postings share."""

    posting_number: str
    order_id: Int64 = 0
    order_number: str = ""
    status: str = ""
    substatus: str = ""
    in_process_at: Moment = None
    products: Annotated[list[PostingProduct], OrEmpty] = Field(default_factory=list)
    cancellation: Cancellation | None = None


class Posting(PostingBase):
    """An FBS/rFBS posting, as the lists and ``/v3/posting/fbs/get`` return it."""

    previous_substatus: str = ""
    shipment_date: Moment = None
    """The ship-by deadline: pack and hand over before it."""
    shipment_date_without_delay: Moment = None
    delivering_date: Moment = None
    delivery_method: DeliveryMethod | None = None
    tracking_number: str = ""
    available_actions: list[str] | None = None
    parent_posting_number: str = ""
    related_postings: RelatedPostings | None = None
    customer: Customer | None = None
    addressee: Addressee | None = None

    @property
    def warehouse(self) -> str:
        dm = self.delivery_method
        if dm is None:
            return ""
        return dm.warehouse or (str(dm.warehouse_id) if dm.warehouse_id else "")


class FboAnalytics(Lenient):
    warehouse_id: Int64 = 0
    warehouse_name: str = ""


class FboPosting(PostingBase):
    """A posting shipped from Ozon's warehouse (``/v3/posting/fbo/list``)."""

    created_at: Moment = None
    cancel_reason_id: Int64 = 0
    analytics_data: FboAnalytics | None = None

    @property
    def warehouse(self) -> str:
        a = self.analytics_data
        if a is None:
            return ""
        return a.warehouse_name or (str(a.warehouse_id) if a.warehouse_id else "")


class FboPostingResult(Lenient):
    result: FboPosting


class PostingResult(Lenient):
    result: Posting


# --- list requests ---------------------------------------------------------------------------


class PostingWith(Strict):
    analytics_data: bool | None = None
    barcodes: bool | None = None
    financial_data: bool | None = None
    legal_info: bool | None = None


class PeriodFilter(Strict):
    """The FBS and FBO lists: postings created in [since, to] (at most a year)."""

    since: dt.datetime
    to: dt.datetime
    statuses: list[str] | None = None


class FbsPeriodFilter(PeriodFilter):
    """The FBS/rFBS list's filter: the period, and the warehouses (FBO has none)."""

    warehouse_ids: list[Int64Str] | None = None


class UnfulfilledFilter(Strict):
    """The unfulfilled list: postings whose ship-by deadline is in [cutoff_from, cutoff_to]."""

    cutoff_from: dt.datetime
    cutoff_to: dt.datetime
    statuses: list[str] | None = None
    warehouse_ids: list[Int64Str] | None = None


class ListRequest(Strict):
    filter: FbsPeriodFilter | PeriodFilter | UnfulfilledFilter
    sort_dir: str = "ASC"
    with_: PostingWith | None = Field(default=None, alias="with")


class GetWith(Strict):
    related_postings: bool | None = None


class GetRequest(Strict):
    posting_number: str
    with_: GetWith | None = Field(default=None, alias="with")


# --- ship --------------------------------------------------------------------------------------


class ShipProduct(Strict):
    product_id: int
    """The SKU (Ozon names it product_id in this method)."""
    quantity: int


class ShipPackage(Strict):
    products: list[ShipProduct]


class ShipRequest(Strict):
    posting_number: str
    packages: list[ShipPackage]


class ShipResult(Lenient):
    result: Annotated[list[str], OrEmpty] = Field(default_factory=list)
    """The posting numbers the order became (several when it was split)."""


# --- cancellation ----------------------------------------------------------------------------


class CancelReason(Lenient):
    id: Int64
    title: str = ""
    type_id: str = ""
    is_available_for_cancellation: bool = True


class CancelReasonList(Lenient):
    result: Annotated[list[CancelReason], OrEmpty] = Field(default_factory=list)


class PostingCancelReasons(Lenient):
    posting_number: str
    reasons: Annotated[list[CancelReason], OrEmpty] = Field(default_factory=list)


class PostingCancelReasonList(Lenient):
    result: Annotated[list[PostingCancelReasons], OrEmpty] = Field(default_factory=list)


class CancelReasonsRequest(Strict):
    related_posting_numbers: list[str]


class CancelRequest(Strict):
    posting_number: str
    cancel_reason_id: int
    cancel_reason_message: str | None = None


class CancelItem(Strict):
    sku: int
    quantity: int


class ProductCancelRequest(Strict):
    posting_number: str
    cancel_reason_id: int
    cancel_reason_message: str
    items: list[CancelItem]


# --- labels ------------------------------------------------------------------------------------


class LabelTask(Lenient):
    task_id: Int64
    task_type: str = ""


class LabelTasks(Lenient):
    tasks: Annotated[list[LabelTask], OrEmpty] = Field(default_factory=list)


class Unprinted(Lenient):
    posting_number: str = ""
    message: str = ""


class LabelStatus(Lenient):
    code: str = ""
    postings_count: int = 0
    printed_postings_count: int = 0
    unprinted_postings: Annotated[list[Unprinted], OrEmpty] = Field(default_factory=list)


class LabelError(Lenient):
    code: str = ""
    message: str = ""


class LabelTaskState(Lenient):
    status: LabelStatus = Field(default_factory=LabelStatus)
    file_url: str = ""
    error: LabelError | None = None


# --- tracking numbers --------------------------------------------------------------------------


class TrackingNumber(Strict):
    posting_number: str
    tracking_number: str


class TrackingResult(Lenient):
    """One posting's result of a tracking number or an rFBS status change."""

    posting_number: Annotated[str, NoText] = ""
    result: Annotated[bool, NotSet] = False
    error: Annotated[str, Errors] = ""


class TrackingResults(Lenient):
    result: Annotated[list[TrackingResult], OrEmpty] = Field(default_factory=list)


# --- returns -----------------------------------------------------------------------------------


class ReturnMoney(Lenient):
    price: Dec = Decimal("0")
    currency_code: str = ""


class ReturnProduct(Lenient):
    sku: Int64 = 0
    offer_id: str = ""
    name: str = ""
    quantity: int = 0
    price: ReturnMoney | None = None


class ReturnStatus(Lenient):
    id: int = 0
    display_name: str = ""
    sys_name: str = ""


class ReturnVisual(Lenient):
    status: ReturnStatus = Field(default_factory=ReturnStatus)
    change_moment: Moment = None


class ReturnLogistic(Lenient):
    return_date: Moment = None
    final_moment: Moment = None
    technical_return_moment: Moment = None
    barcode: str = ""


class ReturnItem(Lenient):
    id: Int64
    posting_number: str = ""
    order_id: Int64 = 0
    order_number: str = ""
    schema_: str = Field(default="", alias="schema")
    type: str = ""
    return_reason_name: str = ""
    product: ReturnProduct = Field(default_factory=ReturnProduct)
    visual: ReturnVisual = Field(default_factory=ReturnVisual)
    logistic: ReturnLogistic = Field(default_factory=ReturnLogistic)


class TimeRange(Strict):
    time_from: dt.datetime
    time_to: dt.datetime


class ReturnsFilter(Strict):
    logistic_return_date: TimeRange | None = None
    return_schema: str | None = None


class ReturnsRequest(Strict):
    filter: ReturnsFilter


# --- seller rating -----------------------------------------------------------------------------


class RatingChange(Lenient):
    direction: str = ""
    meaning: str = ""


class RatingItem(Lenient):
    rating: str = ""
    """The rating's code, e.g. ``rating_on_time``."""
    name: str = ""
    current_value: Dec | None = None
    past_value: Dec | None = None
    status: str = ""
    """``OK``, ``WARNING``, ``CRITICAL`` (or ``UNKNOWN_STATUS``)."""
    rating_direction: str = ""
    value_type: str = ""
    """``PERCENT``, ``INDEX``, ``TIME``, ``RATIO``, ``REVIEW_SCORE``, ``COUNT`` …"""
    change: RatingChange | None = None


class RatingGroup(Lenient):
    group_name: str = ""
    items: Annotated[list[RatingItem], OrEmpty] = Field(default_factory=list)


class RatingSummary(Lenient):
    groups: Annotated[list[RatingGroup], OrEmpty] = Field(default_factory=list)
    penalty_score_exceeded: bool = False
    premium: bool = False
    premium_plus: bool = False
