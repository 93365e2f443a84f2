"""Finance: accruals (by day, by posting, the type catalogue), the realization report,
the cash-flow statement and the balance report.

Money stays exact. The accrual methods send Money objects whose ``amount`` is a string
(``Money``, kept as given). The balance report, the realization report and the cash-flow
statement send JSON numbers; the client decodes JSON with the standard library, so they
arrive as floats. ``Kopecks`` turns such a float into the decimal it was written as
(``Decimal(repr(x))``: the shortest text that reads back as the same float, which for a
two-decimal amount below 10¹³ is exactly the amount Ozon wrote) and quantizes it to the
kopeck, so a float artefact such as ``0.30000000000000004`` can never reach a total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ozonctl.client.models.common import Dec, Int64, Lenient, Money

KOPECK = Decimal("0.01")


def to_kopecks(value: Any) -> Any:
    """A JSON number or numeric string as an exact Decimal, quantized to the kopeck."""
    if value is None or isinstance(value, bool):
        return Decimal("0.00")
    if isinstance(value, float):
        exact = Decimal(repr(value))
    elif isinstance(value, Decimal):
        exact = value
    elif isinstance(value, int | str):
        try:
            exact = Decimal(str(value).strip() or "0")
        except InvalidOperation:
            return value
    else:
        return value
    if not exact.is_finite():
        return value
    return exact.quantize(KOPECK, rounding=ROUND_HALF_UP)


Kopecks = Annotated[Decimal, BeforeValidator(to_kopecks)]
"""Money sent as a JSON number: exact, two decimals (see the module docstring)."""

ZERO = Decimal("0.00")


def day_of(text: str, default: dt.date | None = None) -> dt.date | None:
    """The date part of ``YYYY-MM-DD`` or an ISO date-time; ``default`` when unreadable."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return default


# --- accruals ------------------------------------------------------------------------------


class AccrualType(Lenient):
    """One row of ``/v1/finance/accrual/types``."""

    id: Int64 = 0
    name: str = ""
    description: str = ""


class Fee(Lenient):
    """An accrual with a type: ``{type_id, accrued: Money}``."""

    type_id: Int64 = 0
    accrued: Money  # required: a missing figure is refused, never read as 0


class SkuFees(Lenient):
    sku: Int64 = 0
    fees: list[Fee] = Field(default_factory=list)


class ItemFees(Lenient):
    fees: list[SkuFees] = Field(default_factory=list)


class ContainerFees(Lenient):
    fees: list[Fee] = Field(default_factory=list)


class ProductCommission(Lenient):
    """The sale side of a posting's product. ``sale_amount`` ("realised for") is the
    amount credited for the sale; ``bonus`` and ``coinvestment`` are parts of it (points
    for discounts, partner programmes), the ``sale_price``/``seller_price`` are unit
    prices and ``sale_commission`` the list-price commission: none of those are added
    again. ``commission`` is the commission charged."""

    sale_amount: Money | None = None
    commission: Money | None = None
    sale_commission: Money | None = None
    sale_price: Money | None = None
    seller_price: Money | None = None
    bonus: Money | None = None
    coinvestment: Money | None = None
    commission_ratio: str = ""


class ProductDelivery(Lenient):
    services: list[Fee] = Field(default_factory=list)
    total_accrued: Money | None = None


class PostingProduct(Lenient):
    sku: Int64 = 0
    commission: ProductCommission | None = None
    delivery: ProductDelivery | None = None


class PostingDetail(Lenient):
    delivery_schema: str = ""
    delivery_speed: int | None = None
    products: list[PostingProduct] = Field(default_factory=list)


class Accrual(Lenient):
    """One accrual of ``/v1/finance/accrual/by-day``: a posting, a product or a
    seller-level charge, with its total and (usually) a breakdown."""

    accrual_id: Int64 = 0
    accrued_category: str = "UNSPECIFIED"
    date: str = ""
    unit_number: str = ""
    total_amount: Money  # required: a missing figure is refused, never read as 0
    posting: PostingDetail | None = None
    item_fees: ItemFees | None = None
    non_item_fee: Fee | None = None
    container_fees: ContainerFees | None = None


@dataclass(slots=True)
class DayAccruals:
    """Every accrual of one day, and how many pages it took."""

    day: dt.date
    accruals: list[Accrual] = field(default_factory=list)
    pages: int = 0


class PostingAccrual(Lenient):
    """One accrual of ``/v1/finance/accrual/postings``."""

    accrual_date: str = ""
    type_id: Int64 = 0
    sku: Int64 = 0
    quantity: int = 0
    seller_price: Money | None = None
    accrued: Money  # required: a missing figure is refused, never read as 0


class PostingAccruals(Lenient):
    posting_number: str = ""
    accruals: list[PostingAccrual] = Field(default_factory=list)


# --- realization report ---------------------------------------------------------------------


class RealizationHeader(Lenient):
    number: str = ""
    doc_date: str = ""
    start_date: str = ""
    stop_date: str = ""
    contract_number: str = ""
    contract_date: str = ""
    currency_sys_name: str = ""
    payer_name: str = ""
    payer_inn: str = ""
    payer_kpp: str = ""
    receiver_name: str = ""
    receiver_inn: str = ""
    receiver_kpp: str = ""


class RealizationItem(Lenient):
    sku: Int64 = 0
    offer_id: str = ""
    name: str = ""
    barcode: str = ""


class RealizationPart(Lenient):
    """``delivery_commission`` (sold) or ``return_commission`` (returned) of a row."""

    quantity: int = 0
    amount: Kopecks = ZERO
    standard_fee: Kopecks = ZERO
    bonus: Kopecks = ZERO
    bank_coinvestment: Kopecks = ZERO
    stars: Kopecks = ZERO
    pick_up_point_coinvestment: Kopecks = ZERO
    commission: Kopecks = ZERO
    compensation: Kopecks = ZERO
    price_per_instance: Kopecks = ZERO
    total: Kopecks = ZERO


class RealizationRow(Lenient):
    row_number: int = Field(0, alias="rowNumber")
    item: RealizationItem = Field(default_factory=RealizationItem)
    commission_ratio: Dec = Decimal(0)
    seller_price_per_instance: Kopecks = ZERO
    delivery_commission: RealizationPart | None = None
    return_commission: RealizationPart | None = None

    @property
    def sold(self) -> RealizationPart:
        return self.delivery_commission or RealizationPart()

    @property
    def returned(self) -> RealizationPart:
        return self.return_commission or RealizationPart()

    @property
    def net(self) -> Decimal:
        """What the row adds to the payout: sold total less returned total."""
        return self.sold.total - self.returned.total


class RealizationReport(Lenient):
    header: RealizationHeader = Field(default_factory=RealizationHeader)
    rows: list[RealizationRow] = Field(default_factory=list)


# --- cash-flow statement --------------------------------------------------------------------


class CashFlowPeriod(Lenient):
    id: Int64 = 0
    begin: str = ""
    end: str = ""


class CashFlow(Lenient):
    """One period (half a month) of ``/v1/finance/cash-flow-statement/list``."""

    period: CashFlowPeriod = Field(default_factory=CashFlowPeriod)
    orders_amount: Kopecks = ZERO
    returns_amount: Kopecks = ZERO
    commission_amount: Kopecks = ZERO
    services_amount: Kopecks = ZERO
    item_delivery_and_return_amount: Kopecks = ZERO
    currency_code: str = ""


# --- balance report -------------------------------------------------------------------------


class Amount(Lenient):
    """The balance report's ``{value: number, currency_code}``."""

    value: Kopecks = ZERO
    currency_code: str = ""


class FlowDetails(Lenient):
    revenue: Amount | None = None
    partner_programs: Amount | None = None
    points_for_discounts: str = ""


class SalesFlow(Lenient):
    amount: Amount = Field(default_factory=Amount)
    fee: Amount = Field(default_factory=Amount)
    amount_details: FlowDetails | None = None


class ServiceFlow(Lenient):
    name: str = ""
    amount: Amount = Field(default_factory=Amount)


class BalanceCashflows(Lenient):
    sales: SalesFlow = Field(default_factory=SalesFlow)
    returns: SalesFlow = Field(default_factory=SalesFlow)
    services: list[ServiceFlow] = Field(default_factory=list)


class BalanceTotal(Lenient):
    opening_balance: Amount = Field(default_factory=Amount)
    closing_balance: Amount = Field(default_factory=Amount)
    accrued: Amount = Field(default_factory=Amount)
    payments: list[Amount] = Field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((p.value for p in self.payments), ZERO)


class BalanceReport(Lenient):
    total: BalanceTotal = Field(default_factory=BalanceTotal)
    cashflows: BalanceCashflows = Field(default_factory=BalanceCashflows)


class BalancePeriod(Lenient):
    """The balance report of one call (one window of ``BALANCE_MAX_SPAN`` days at most)."""

    date_from: dt.date
    date_to: dt.date
    report: BalanceReport = Field(default_factory=BalanceReport)


class Balance(Lenient):
    """A balance report over any period, combined from its ≤30-day parts: the opening
    balance of the first part, the closing balance of the last, the sums of the rest."""

    date_from: dt.date
    date_to: dt.date
    currency: str = ""
    opening_balance: Decimal = ZERO
    accrued: Decimal = ZERO
    payments: Decimal = ZERO
    closing_balance: Decimal = ZERO
    sales_amount: Decimal = ZERO
    sales_fee: Decimal = ZERO
    returns_amount: Decimal = ZERO
    returns_fee: Decimal = ZERO
    services: dict[str, Decimal] = Field(default_factory=dict)
    periods: list[BalancePeriod] = Field(default_factory=list)

    @classmethod
    def combine(cls, parts: list[BalancePeriod]) -> Balance:
        if not parts:
            raise ValueError("no balance periods to combine")
        parts = sorted(parts, key=lambda p: p.date_from)
        first, last = parts[0].report.total, parts[-1].report.total
        services: dict[str, Decimal] = {}
        for part in parts:
            for svc in part.report.cashflows.services:
                services[svc.name] = services.get(svc.name, ZERO) + svc.amount.value

        def total(get: Any) -> Decimal:
            return sum((get(p.report) for p in parts), ZERO)

        currency = next(
            (
                a.currency_code
                for p in parts
                for a in (p.report.total.accrued, p.report.total.closing_balance)
                if a.currency_code
            ),
            "",
        )
        return cls(
            date_from=parts[0].date_from,
            date_to=parts[-1].date_to,
            currency=currency,
            opening_balance=first.opening_balance.value,
            closing_balance=last.closing_balance.value,
            accrued=total(lambda r: r.total.accrued.value),
            payments=total(lambda r: r.total.paid),
            sales_amount=total(lambda r: r.cashflows.sales.amount.value),
            sales_fee=total(lambda r: r.cashflows.sales.fee.value),
            returns_amount=total(lambda r: r.cashflows.returns.amount.value),
            returns_fee=total(lambda r: r.cashflows.returns.fee.value),
            services=services,
            periods=parts,
        )
