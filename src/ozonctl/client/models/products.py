"""Products: the list, details, stock and prices, and the bodies of their writes.

Field names and types follow Ozon's document (``/v3/product/list``,
``/v3/product/info/list``, ``/v4/product/info/stocks``,
``/v2/product/info/stocks-by-warehouse/fbs``, ``/v2/products/stocks``,
``/v5/product/info/prices``, ``/v1/product/import/prices``, ``/v2/products/delete``).
Prices are ``Decimal`` end to end: strings in ``/v3/product/info/list``, numbers in
``/v5/product/info/prices`` (read through ``repr``, never float maths), strings when sent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, Required

from pydantic import AfterValidator, Field
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from ozonctl.client.models.common import Dec, DecStr, Int64, Lenient, Strict

FBS_SOURCES = frozenset({"fbs", "rfbs"})
"""Stock sources/types that are the seller's own warehouses (what ``stock set`` changes)."""


class ProductListItem(Lenient):
    """One row of ``/v3/product/list``."""

    product_id: Int64
    offer_id: str = ""
    sku: Int64 = 0
    archived: bool = False
    has_fbo_stocks: bool = False
    has_fbs_stocks: bool = False
    is_discounted: bool = False


class InfoStock(Lenient):
    present: int = 0
    reserved: int = 0
    sku: Int64 = 0
    source: str = ""


class InfoStocks(Lenient):
    has_stock: bool = False
    stocks: list[InfoStock] = Field(default_factory=list)


class ProductStatuses(Lenient):
    status: str = ""
    status_name: str = ""
    moderate_status: str = ""
    validation_status: str = ""


class ProductInfo(Lenient):
    """One item of ``/v3/product/info/list``."""

    id: Int64
    offer_id: str = ""
    sku: Int64 = 0
    name: str = ""
    is_archived: bool = False
    is_autoarchived: bool = False
    price: Dec | None = None
    old_price: Dec | None = None
    min_price: Dec | None = None
    currency_code: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    statuses: ProductStatuses = Field(default_factory=ProductStatuses)
    stocks: InfoStocks = Field(default_factory=InfoStocks)

    @property
    def fbs_present(self) -> int:
        """Units on the seller's own (FBS/rFBS) warehouses, reserved ones included."""
        return sum(s.present for s in self.stocks.stocks if s.source.lower() in FBS_SOURCES)

    @property
    def fbs_free(self) -> int:
        return sum(
            s.present - s.reserved for s in self.stocks.stocks if s.source.lower() in FBS_SOURCES
        )

    @property
    def state(self) -> str:
        """A short word for the listing state: archived, on sale, not on sale, …"""
        if self.is_archived:
            return "auto-archived" if self.is_autoarchived else "archived"
        return self.statuses.status_name or self.statuses.status or ""


# -- lean shapes for fast page walks --------------------------------------------------
# Parsed straight from the response bytes by ``TypeAdapter(...).validate_json`` (one pass,
# in pydantic's core): only these keys are kept, every other field of the answer is
# skipped. Plain dicts, no model instances: a walk of 100,000 products makes 200,000 of
# them. Keys Ozon leaves out are absent (``total=False``).


def _zero(_: str) -> Decimal:
    return Decimal("0")


if TYPE_CHECKING:
    LeanDec = Decimal | None
else:
    LeanDec = Annotated[
        Decimal | Annotated[Literal[""], AfterValidator(_zero)] | None,
        Field(union_mode="left_to_right"),
    ]
"""``Dec | None`` (same values: an empty string is 0, a number is read exactly), checked
in pydantic's core: no Python call per value."""


class ListedProduct(TypedDict, total=False):
    """An item of ``/v3/product/list``: the fields a listing row needs."""

    product_id: Required[int]
    offer_id: str
    sku: int
    archived: bool


class CardStock(TypedDict, total=False):
    present: int
    reserved: int
    source: str


class CardStocks(TypedDict, total=False):
    stocks: list[CardStock]


class CardStatuses(TypedDict, total=False):
    status: str
    status_name: str


class ProductCard(TypedDict, total=False):
    """An item of ``/v3/product/info/list`` reduced to what a listing row shows (the
    fields of :class:`ProductInfo` that ``listing list`` reads; same types)."""

    id: Required[int]
    sku: int
    name: str
    is_archived: bool
    is_autoarchived: bool
    price: LeanDec
    old_price: LeanDec
    min_price: LeanDec
    currency_code: str
    created_at: dt.datetime | None
    statuses: CardStatuses
    stocks: CardStocks


class ListedResult(TypedDict, total=False):
    items: list[ListedProduct]
    total: int
    last_id: str


class ListedResponse(TypedDict, total=False):
    """A ``/v3/product/list`` answer, lean: what a page walk reads and the items."""

    result: ListedResult


class CardsResponse(TypedDict, total=False):
    """A ``/v3/product/info/list`` answer, lean."""

    items: list[ProductCard]


def card_state(card: ProductCard) -> str:
    """:attr:`ProductInfo.state` of a card."""
    if card.get("is_archived"):
        return "auto-archived" if card.get("is_autoarchived") else "archived"
    statuses = card.get("statuses") or {}
    return statuses.get("status_name") or statuses.get("status") or ""


def card_fbs(card: ProductCard) -> tuple[int, int]:
    """(present, free) units on the seller's own warehouses: :attr:`ProductInfo.fbs_present`
    and :attr:`ProductInfo.fbs_free` of a card."""
    present = free = 0
    for s in (card.get("stocks") or {}).get("stocks") or ():
        if (s.get("source") or "").lower() in FBS_SOURCES:
            n = s.get("present", 0)
            present += n
            free += n - s.get("reserved", 0)
    return present, free


class StockEntry(Lenient):
    type: str = ""
    sku: Int64 = 0
    present: int = 0
    reserved: int = 0
    shipment_type: str = ""
    warehouse_ids: list[Int64] = Field(default_factory=list)


class ProductStocks(Lenient):
    """One item of ``/v4/product/info/stocks``."""

    product_id: Int64
    offer_id: str = ""
    stocks: list[StockEntry] = Field(default_factory=list)

    @property
    def fbs_free(self) -> int:
        return sum(s.present - s.reserved for s in self.stocks if s.type.lower() in FBS_SOURCES)

    @property
    def fbs_present(self) -> int:
        return sum(s.present for s in self.stocks if s.type.lower() in FBS_SOURCES)

    @property
    def sku(self) -> int:
        return next((s.sku for s in self.stocks if s.sku), 0)


class WarehouseStock(Lenient):
    """One row of ``/v2/product/info/stocks-by-warehouse/fbs``."""

    sku: Int64 = 0
    offer_id: str = ""
    product_id: Int64 = 0
    warehouse_id: Int64 = 0
    warehouse_name: str = ""
    present: int = 0
    reserved: int = 0
    free_stock: int = 0


class StockUpdate(Strict):
    """One product–warehouse pair of ``/v2/products/stocks``."""

    product_id: int
    warehouse_id: int
    stock: int
    offer_id: str | None = None


class ItemError(Lenient):
    code: str = ""
    message: str = ""

    def text(self) -> str:
        if self.code and self.message and self.message != self.code:
            return f"{self.code}: {self.message}"
        return self.code or self.message or "error"


class StockUpdateResult(Lenient):
    product_id: Int64 = 0
    offer_id: str = ""
    warehouse_id: Int64 = 0
    updated: bool = False
    errors: list[ItemError] = Field(default_factory=list)


class PriceDetails(Lenient):
    price: Dec | None = None
    old_price: Dec | None = None
    min_price: Dec | None = None
    marketing_seller_price: Dec | None = None
    currency_code: str = ""


class ProductPrice(Lenient):
    """One item of ``/v5/product/info/prices``."""

    product_id: Int64
    offer_id: str = ""
    price: PriceDetails = Field(default_factory=PriceDetails)


class PriceUpdate(Strict):
    """One item of ``/v1/product/import/prices`` (prices are strings there)."""

    product_id: int | None = None
    offer_id: str | None = None
    price: DecStr | None = None
    old_price: DecStr | None = None
    min_price: DecStr | None = None
    currency_code: str | None = None


class PriceUpdateResult(Lenient):
    product_id: Int64 = 0
    offer_id: str = ""
    updated: bool = False
    errors: list[ItemError] = Field(default_factory=list)


class DeleteStatus(Lenient):
    """One item of ``/v2/products/delete``'s ``status``."""

    offer_id: str = ""
    is_deleted: bool = False
    error: str = ""


def money(value: Decimal | None) -> str:
    """A price for people: ``1299`` or ``1299.50``; empty when unknown."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.01"))
    return str(q.quantize(Decimal(1))) if q == q.to_integral_value() else str(q)
