"""Promotions: Ozon's actions (``/v1/actions``, ``/v2/actions/*``), the seller's own
promotions (``/v1/seller-actions/*``) and buyers' discount requests.

Field names and types follow Ozon's 2026-10 document. Prices of the v2 promo methods are
``Money`` objects; ids arrive as numbers or strings (both are accepted). These models are
the only reading of these answers: the client returns them as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field, PlainSerializer

from ozonctl.client.models.common import (
    Dec,
    Int64,
    Int64Str,
    Lenient,
    Moment,
    Money,
    MoneyOut,
    Strict,
)


def _num(value: object) -> Decimal | None:
    """A JSON number as a Decimal; what is not one (or an exponent no Decimal holds) is a
    ValueError, which pydantic reports as a bad field, not a traceback."""
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r:.40}") from None


def _price(value: object) -> Decimal | None:
    """A JSON number to the kopeck; a figure too large for kopecks (``1e26``) is refused."""
    amount = _num(value)
    if amount is None:
        return None
    try:
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"a price too large to hold in kopecks: {value!r:.40}") from None


Num = Annotated[Decimal, BeforeValidator(_num)]
"""A JSON number held exactly (percentages, quantities)."""

NumPrice = Annotated[Decimal, BeforeValidator(_price)]
"""A price sent as a JSON number (discount requests, seller promotions), to the kopeck."""

NumOut = Annotated[Decimal, PlainSerializer(float, return_type=float)]
"""A Decimal the spec wants sent as a JSON number (two-decimal prices stay exact)."""


def money(value: Money | None) -> Decimal | None:
    """The amount of a Money object, None when absent."""
    return None if value is None else value.amount


# --- Ozon promotions ----------------------------------------------------------------------

BOOSTING_TYPES = frozenset({"ELASTIC_BOOSTING", "MAX_BOOSTING", "MAXIMUM_BOOSTING"})


def action_is_boosting(action_type: str, title: str) -> bool:
    """Elastic or maximum boosting: a product leaves when its action price is moved past
    the promotion's limit with ``/v1/actions/products/update``. A boosting promotion Ozon
    types generically is still known by its title."""
    kind = action_type.upper()
    return kind in BOOSTING_TYPES or "BOOST" in kind or "бустинг" in title.casefold()


class Action(Lenient):
    """One Ozon promotion from ``GET /v1/actions``."""

    id: Int64
    title: str = ""
    action_type: str = ""
    description: str = ""
    date_start: Moment = None
    date_end: Moment = None
    auto_add_dates: list[str] = Field(default_factory=list)
    """Kept as Ozon wrote them: they are sent back verbatim to the auto-add methods."""
    freeze_date: Moment = None
    potential_products_count: Int64 = 0
    participating_products_count: Int64 = 0
    is_participating: bool = False
    is_voucher_action: bool = False
    banned_products_count: Int64 = 0
    with_targeting: bool = False
    order_amount: Dec = Decimal("0")
    discount_type: str = ""
    discount_value: Dec = Decimal("0")

    @property
    def is_boosting(self) -> bool:
        """Elastic or maximum boosting (see :func:`action_is_boosting`)."""
        return action_is_boosting(self.action_type, self.title)

    @property
    def leave_method(self) -> str:
        """``update`` (boosting) or ``deactivate`` (promo codes and the rest)."""
        return "update" if self.is_boosting else "deactivate"


class ActionsList(Lenient):
    result: list[Action] = Field(default_factory=list)


class ActionProduct(Lenient):
    """A product in a promotion (``/v2/actions/products``) or a candidate
    (``/v2/actions/candidates``): only the product id, with prices as Money.

    A promotion of 5,000 products is 5,000 of these, so the fields are pydantic's own
    ``int``, ``Decimal`` and ``bool`` (numbers and numeric strings alike, read in
    pydantic's core, no Python validator per field); every field but the id may be null,
    as Ozon's document allows (a null count or flag is read as its default)."""

    id: int
    price: Money | None = None
    action_price: Money | None = None
    """For a candidate Ozon may answer 0: the price it joins at is the seller's to set,
    at most ``max_action_price``."""
    max_action_price: Money | None = None
    alert_max_action_price: Money | None = None
    alert_max_action_price_failed: bool | None = False
    marketplace_seller_price: Money | None = None
    min_seller_price: Money | None = None
    price_min_elastic: Money | None = None
    price_max_elastic: Money | None = None
    current_boost: Decimal | None = Decimal("0")
    min_boost: Decimal | None = Decimal("0")
    max_boost: Decimal | None = Decimal("0")
    min_stock: int | None = 0
    recommended_stock: int | None = 0
    is_quarantined: bool | None = False
    add_mode: str | None = ""
    """``AUTO`` or ``SELLER`` (products in a promotion only)."""
    stock: int | None = 0
    """Units in the promotion (promo-code promotions; products in a promotion only)."""


class ProductUpdate(Strict):
    """One item of ``/v1/actions/products/update``."""

    product_id: Int64
    action_price: MoneyOut
    stock: int | None = None
    """Only for promo-code promotions; omitted for boosting."""


class UpdateProductsRequest(Strict):
    action_id: int
    products: list[ProductUpdate]


class ItemReason(Lenient):
    product_id: Int64
    reason: str = ""


class UpdateProductsResult(Lenient):
    active_product_ids: list[Int64] = Field(default_factory=list)
    deactivated_product_ids: list[Int64] = Field(default_factory=list)
    rejected: list[ItemReason] = Field(default_factory=list)
    """Not applied, with Ozon's reason."""
    warnings: list[ItemReason] = Field(default_factory=list)
    """Applied, but the product was removed from the promotion, with the reason."""


class DeactivateRequest(Strict):
    action_id: int
    product_ids: list[Int64Str]


class IdsResult(Lenient):
    """``{"product_ids": [...]}``: the ids a deactivate or auto-add delete applied to."""

    product_ids: list[int] | None = Field(default_factory=list)


class AutoAddProduct(Lenient):
    """A product Ozon will add to a promotion by itself on an auto-add date
    (``/v2/actions/auto-add/products/list``; a candidate of
    ``/v2/actions/auto-add/products/candidates`` names its product ``id``, read here as
    ``product_id`` too)."""

    product_id: Int64 = Field(validation_alias=AliasChoices("product_id", "id"))
    sku: Int64 = 0
    offer_id: str = ""
    name: str = ""
    price: Money | None = None
    base_price: Money | None = None
    action_price_to_auto_add: Money | None = None
    """The action price the product joins at on the date."""
    max_discount_price: Money | None = None
    """The largest action price the promotion allows for it."""
    min_seller_price: Money | None = None
    """The seller's minimum price of the product (Ozon's ``min_price``)."""
    quantity_to_auto_add: Int64 | None = 0
    """Units in the promotion (promo-code promotions)."""
    will_be_quarantined: bool | None = False


class AutoAddUpdate(Strict):
    """One item of ``/v2/actions/auto-add/products/update``: a product put on (or
    re-priced on) the auto-add list of a date."""

    id: Int64
    action_price: MoneyOut
    stock: int | None = None
    """Only for promo-code promotions; omitted for boosting."""


class AutoAddUpdateRequest(Strict):
    action_id: int
    auto_add_date: str
    products: list[AutoAddUpdate]


class KeyPrice(Lenient):
    key: Int64 = 0
    """The product id."""
    value: Num | None = None


class AutoAddUpdateResult(Lenient):
    """What ``/v2/actions/auto-add/products/update`` did: the ids it put on the list,
    those it refused (with Ozon's reason) and those whose price it flagged."""

    product_ids: list[Int64] | None = Field(default_factory=list)
    deactivated_ids: list[Int64] | None = Field(default_factory=list)
    rejected: list[ItemReason] | None = Field(default_factory=list)
    warnings: list[ItemReason] | None = Field(default_factory=list)
    below_min_price: list[KeyPrice] | None = Field(default_factory=list)
    extremely_low_price: list[KeyPrice] | None = Field(default_factory=list)
    failed_price: list[KeyPrice] | None = Field(default_factory=list)


class AutoAddDeleteRequest(Strict):
    action_id: int
    auto_add_date: str
    product_ids: list[Int64Str]


# --- buyers' discount requests -------------------------------------------------------------


class AutoModeratedInfo(Lenient):
    min_price: NumPrice | None = None
    max_price: NumPrice | None = None
    min_percent: Num | None = None
    max_percent: Num | None = None


class DiscountTask(Lenient):
    id: Int64
    sku: Int64 = 0
    name: str = ""
    status: str = ""
    created_at: Moment = None
    end_at: Moment = None
    edited_till: Moment = None
    moderated_at: Moment = None
    original_price: NumPrice | None = None
    requested_price: NumPrice | None = None
    requested_discount: Num | None = None
    requested_quantity_max: Int64 = 0
    approved_price: NumPrice | None = None
    approved_discount: Num | None = None
    approved_quantity_max: Int64 = 0
    min_auto_price: NumPrice | None = None
    is_auto_moderated: bool = False
    auto_moderated_info: AutoModeratedInfo | None = None
    email: str = ""
    first_name: str = ""
    last_name: str = ""


class ApproveTask(Strict):
    id: int
    approved_price: NumOut
    approved_quantity_min: int
    approved_quantity_max: int
    seller_comment: str | None = None


class DeclineTask(Strict):
    id: int
    seller_comment: str | None = None


class TaskFailure(Lenient):
    task_id: Int64
    error_for_user: str = ""


class TasksResult(Lenient):
    success_count: int = 0
    fail_count: int = 0
    fail_details: list[TaskFailure] = Field(default_factory=list)


# --- the seller's own promotions ----------------------------------------------------------------


class DiscountLevel(Lenient):
    """One level of a multi-level discount: from ``order_amount`` on, ``discount_value``."""

    order_amount: Num
    discount_value: Num


class VoucherParameters(Lenient):
    count_codes: Int64 = 0
    is_private: bool = False
    type: str = ""
    """``ONE`` (one order, any buyer), ``MULTIPLE`` (any orders), ``UNIQUE`` (one buyer)."""


class SellerActionParameters(Lenient):
    title: str = ""
    """Ozon documents the title here, not beside ``action_id``."""
    date_start: Moment = None
    date_end: Moment = None
    discount_type: str = ""
    discount_value: Num | None = None
    min_order_amount: NumPrice | None = None
    status: str = ""
    type: str = ""
    budget: NumPrice | None = None
    budget_spent: NumPrice | None = None
    auto_stop_action_reason: str = ""
    min_action_percent: Num | None = None
    discount_levels: list[DiscountLevel] = Field(default_factory=list)
    is_legal_entities_segment: bool = False
    voucher_parameters: VoucherParameters | None = None


class SellerAction(Lenient):
    action_id: Int64
    action_parameters: SellerActionParameters = Field(default_factory=SellerActionParameters)
    is_turn_on: bool = False
    is_participated: bool = False
    is_editable: bool = False
    allow_delete: bool = False
    sku_count: Int64 = 0
    highlight_url: str = ""

    @property
    def title(self) -> str:
        """The promotion's title, from ``action_parameters.title`` where Ozon puts it."""
        return self.action_parameters.title


class SellerActionProduct(Lenient):
    product_id: Int64
    offer_id: str = ""
    name: str = ""
    sku: list[Int64] = Field(default_factory=list)
    price: NumPrice | None = None
    base_price: NumPrice | None = None
    action_price: NumPrice | None = None
    discount_percent: Num | None = None
    min_seller_price: NumPrice | None = None
    currency: str = ""
    is_active: bool = False


class ChangeActivityRequest(Strict):
    action_id: int
    is_turn_on: bool


# Which fields each create/update method of a seller promotion takes (Ozon's document).
SELLER_ACTION_KINDS = ("discount", "conditional", "multilevel", "voucher", "installment")
"""Our names for Ozon's mechanics, in the order ``promo create --type`` lists them."""
SELLER_ACTION_TYPES = {
    "discount": "DISCOUNT",
    "conditional": "DISCOUNT_WITH_CONDITION",
    "multilevel": "MULTI_LEVEL_DISCOUNT_ON_AMOUNT",
    "voucher": "VOUCHER_DISCOUNT",
    "installment": "INSTALLMENT",
}
"""Our name of each mechanic → Ozon's ``type`` in ``/v1/seller-actions/list``."""
_DATES = ("date_start", "date_end", "title")
CREATE_FIELDS: dict[str, tuple[str, ...]] = {
    "discount": (*_DATES, "min_action_percent"),
    "conditional": (*_DATES, "discount_type", "discount_value", "min_order_amount"),
    "multilevel": (*_DATES, "discount_type", "discount_levels", "is_legal_entities_segment"),
    "voucher": (
        *_DATES,
        "budget",
        "discount_type",
        "discount_value",
        "user_ids",
        "voucher_parameters",
    ),
    "installment": ("date_start", "title"),
}
UPDATE_FIELDS: dict[str, tuple[str, ...]] = {
    "discount": _DATES,
    "conditional": (*_DATES, "discount_value", "min_order_amount"),
    "multilevel": (*_DATES, "discount_levels", "is_legal_entities_segment"),
    "voucher": (*_DATES, "budget", "discount_value", "user_ids"),
    "installment": ("date_start", "title"),
}
"""An update sends every field its method requires again (Ozon replaces them), so the
caller starts from the promotion as listed and changes what the seller asked."""


class DiscountLevelOut(Strict):
    order_amount: NumOut
    discount_value: NumOut


class VoucherParametersOut(Strict):
    count_codes: int
    is_private: bool
    type: str


class SellerActionSpec(Strict):
    """The settings of a seller promotion, every mechanic's fields in one model; a create
    or update sends the ones its method takes (``CREATE_FIELDS``/``UPDATE_FIELDS``)."""

    title: str | None = None
    date_start: dt.datetime | None = None
    date_end: dt.datetime | None = None
    min_action_percent: NumOut | None = None
    discount_type: str | None = None
    discount_value: NumOut | None = None
    min_order_amount: NumOut | None = None
    discount_levels: list[DiscountLevelOut] | None = None
    is_legal_entities_segment: bool | None = None
    budget: int | None = None
    user_ids: list[Int64Str] | None = None
    voucher_parameters: VoucherParametersOut | None = None

    def fields(self, names: tuple[str, ...]) -> dict[str, Any]:
        """The JSON of the fields ``names`` that are set."""
        return {k: v for k, v in self.body().items() if k in names}


class CreatedAction(Lenient):
    action_id: Int64


class VoucherFile(Lenient):
    file: str = ""
    """A link to the CSV file of the promotion's codes."""


class SellerProductAdd(Strict):
    sku: int
    discount_percent: NumOut | None = None
    """Sent for the ``DISCOUNT`` mechanic only (Ozon's document)."""
