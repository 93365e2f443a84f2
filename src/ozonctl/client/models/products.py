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
from typing import Literal

from pydantic import ConfigDict, Field
from typing_extensions import TypedDict

from ozonctl.client.models.common import Dec, DecStr, Int64, Lenient, Strict

FBS_SOURCES = frozenset({"fbs", "rfbs"})
"""Stock sources/types that are the seller's own warehouses (what ``stock set`` changes)."""


class ProductListItem(Lenient):
    """One row of ``/v3/product/list``."""

    product_id: Int64
    offer_id: str = ""
    archived: bool = False
    has_fbo_stocks: bool = False
    has_fbs_stocks: bool = False
    is_discounted: bool = False


class ProductListResult(TypedDict, total=False):
    """``result`` of a ``/v3/product/list`` answer: a dict whose items are the models;
    its other keys (``total_items``, ``last_id``, which the page walk reads) are kept as
    Ozon sent them."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    items: list[ProductListItem] | None


class ProductListAnswer(TypedDict, total=False):
    """A ``/v3/product/list`` answer, read from its bytes in one pass."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    result: ProductListResult


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


class ProductInfoList(Lenient):
    """A ``/v3/product/info/list`` answer."""

    items: list[ProductInfo] | None = None


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


def error_text(code: str, message: str) -> str:
    """One line for an item's error: ``CODE: message`` (either alone when the other is
    empty or the same)."""
    if code and message and message != code:
        return f"{code}: {message}"
    return code or message or "error"


class ItemError(Lenient):
    code: str = ""
    message: str = ""

    def text(self) -> str:
        return error_text(self.code, self.message)


class StockUpdate(Strict):
    """One product–warehouse pair of ``/v2/products/stocks``: the units available
    (reserved ones not counted). With ``offer_id`` Ozon applies it to the product that
    has that offer id, whatever ``product_id`` says."""

    product_id: int
    warehouse_id: int
    stock: int
    offer_id: str | None = None


class StockUpdateResult(Lenient):
    """Ozon's answer for one pair of ``/v2/products/stocks``."""

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
    net_price: Dec | None = None
    """The seller's cost of the product (себестоимость), when the seller keeps it at
    Ozon; 0 or absent when not."""
    currency_code: str = ""
    auto_add_to_ozon_actions_list_enabled: bool | None = None
    """Whether Ozon may put the product on its promotions' auto-add lists."""


class PriceCommissions(Lenient):
    """``commissions`` of a ``/v5/product/info/prices`` item: the sales commission in
    percent per scheme, and Ozon's fee amounts for the product at its current price
    (the direct flow and the FBS processing as a from-to range)."""

    sales_percent_fbs: Dec | None = None
    sales_percent_fbo: Dec | None = None
    fbs_deliv_to_customer_amount: Dec | None = None
    fbo_deliv_to_customer_amount: Dec | None = None
    fbs_direct_flow_trans_min_amount: Dec | None = None
    fbs_direct_flow_trans_max_amount: Dec | None = None
    fbo_direct_flow_trans_min_amount: Dec | None = None
    fbo_direct_flow_trans_max_amount: Dec | None = None
    fbs_first_mile_min_amount: Dec | None = None
    fbs_first_mile_max_amount: Dec | None = None
    fbs_return_flow_amount: Dec | None = None
    fbo_return_flow_amount: Dec | None = None


class MarketingAction(Lenient):
    """A promotion a product takes part in (``marketing_actions.actions``)."""

    title: str = ""


class MarketingActions(Lenient):
    actions: list[MarketingAction] = Field(default_factory=list)


class PricePromotions(Lenient):
    """The promotions a ``/v5/product/info/prices`` item says its product is in: what
    ``listing archive`` records (Ozon takes an archived product out of them), read
    without the rest of the item (``products.promotions``)."""

    product_id: Int64
    offer_id: str = ""
    marketing_actions: MarketingActions | None = None


class PricePromotionsAnswer(TypedDict, total=False):
    """An answer of ``/v5/product/info/prices`` read for ``PricePromotions``: the items
    and what the cursor walk reads."""

    items: list[PricePromotions]
    cursor: str
    total_items: int
    total: int


class ProductPrice(PricePromotions):
    """One item of ``/v5/product/info/prices``."""

    price: PriceDetails = Field(default_factory=PriceDetails)
    commissions: PriceCommissions | None = None
    acquiring: Dec | None = None
    """Ozon's largest acquiring fee for the product, in money."""


class PriceUpdate(Strict):
    """One item of ``/v1/product/import/prices`` (prices are strings there)."""

    product_id: int | None = None
    offer_id: str | None = None
    price: DecStr | None = None
    old_price: DecStr | None = None
    min_price: DecStr | None = None
    currency_code: str | None = None
    auto_add_to_ozon_actions_list_enabled: Literal["ENABLED", "DISABLED"] | None = None
    """Ozon's auto-adding of the product to its promotions on or off (left out: no
    change, Ozon's ``UNKNOWN``)."""


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


def money(value: Decimal | str | None) -> str:
    """A price for people: ``1299`` or ``1299.50``; empty when unknown."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = Decimal(value or "0")
    q = value.quantize(Decimal("0.01"))
    return str(q.quantize(Decimal(1))) if q == q.to_integral_value() else str(q)
