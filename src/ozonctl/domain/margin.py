"""What a sale leaves the seller: the price, less Ozon's fees and the seller's cost.

Per product and sales scheme (FBS, FBO), at a price (the current one, or an action
price)::

    margin = price - commission - logistics - processing - last mile - acquiring - cost

from the fields of ``/v5/product/info/prices`` (Ozon's document):

- commission: ``commissions.sales_percent_fbs|fbo`` (percent) x the price, to the kopeck
  (half up). Exact: the percentage applies to whatever price the product sells at.
- logistics: ``commissions.fbs|fbo_direct_flow_trans_max_amount``, the upper end of the
  direct flow ("Магистраль от … до"). An **estimate**: Ozon's logistics depend on the
  volume and the distance to the buyer, so Ozon gives a range and ozonctl counts its
  upper end (a margin is never shown better than Ozon's own range allows).
- processing (FBS only): ``commissions.fbs_first_mile_max_amount``, the upper end of
  the shipment processing fee, also an **estimate** (it depends on where the seller
  hands the parcels over).
- last mile: ``commissions.fbs|fbo_deliv_to_customer_amount``.
- acquiring: ``acquiring``, Ozon's largest acquiring fee for the product.

Ozon gives the fee amounts for the product's current price. At a lower action price the
fees that grow with the price (last mile, acquiring) would be somewhat lower; ozonctl
keeps Ozon's amounts, so a margin at an action price is, if anything, a little low.
Returns and cancellations (``*_return_flow_amount``) are charged only when they happen
and are not part of a sale's margin.

The cost is ``price.net_price`` when the seller keeps it at Ozon (above 0), else the
seller's costs file (offer id → cost, CSV or TOML). A product with neither has no
margin: it is listed apart, never counted as profitable. So is a product whose prices
are not in roubles, or whose fees Ozon did not send.

Money is ``Decimal`` throughout, each amount to the kopeck; the percentage is the margin
over the price, one decimal, half up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.products import ProductPrice

SCHEMES = ("fbs", "fbo")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ESTIMATED = ("logistics", "processing")
"""The parts of a margin that are estimates (Ozon gives a range; ozonctl counts its top)."""
COST_FILE_KEY = "cost_file"
"""The profile setting (config.toml) naming the seller's costs file."""


def kop(value: Decimal) -> Decimal:
    """Money to the kopeck, half up."""
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Fees:
    """Ozon's fees for one product and scheme, as ``/v5/product/info/prices`` gives them."""

    commission_pct: Decimal
    logistics: Decimal
    processing: Decimal
    last_mile: Decimal
    acquiring: Decimal


@dataclass(frozen=True)
class Margin:
    """One product's margin in one scheme at one price; every amount to the kopeck."""

    scheme: str
    price: Decimal
    commission: Decimal
    logistics: Decimal
    processing: Decimal
    last_mile: Decimal
    acquiring: Decimal
    cost: Decimal

    @property
    def fees(self) -> Decimal:
        return self.commission + self.logistics + self.processing + self.last_mile + self.acquiring

    @property
    def margin(self) -> Decimal:
        return self.price - self.fees - self.cost

    @property
    def percent(self) -> Decimal:
        """The margin over the price, in percent, one decimal."""
        return (self.margin * 100 / self.price).quantize(TENTH, ROUND_HALF_UP)

    def below(self, pct: Decimal) -> bool:
        """Whether the margin is below ``pct`` percent of the price (compared exactly,
        not through the rounded percentage)."""
        return self.margin * 100 < pct * self.price


def margin(scheme: str, price: Decimal, fees: Fees, cost: Decimal) -> Margin:
    """The margin of a sale at ``price`` (the commission is the percentage of it)."""
    return Margin(
        scheme=scheme,
        price=kop(price),
        commission=kop(price * fees.commission_pct / 100),
        logistics=kop(fees.logistics),
        processing=kop(fees.processing),
        last_mile=kop(fees.last_mile),
        acquiring=kop(fees.acquiring),
        cost=kop(cost),
    )


def fees_of(item: ProductPrice, scheme: str) -> Fees | str:
    """Ozon's fees of ``scheme`` for a prices item, or why there are none (a field Ozon
    did not send is never read as 0)."""
    c = item.commissions
    if c is None:
        return "Ozon sent no commissions"
    names = {
        "commission_pct": f"sales_percent_{scheme}",
        "logistics": f"{scheme}_direct_flow_trans_max_amount",
        "last_mile": f"{scheme}_deliv_to_customer_amount",
    }
    if scheme == "fbs":
        names["processing"] = "fbs_first_mile_max_amount"
    values: dict[str, Decimal] = {}
    for key, name in names.items():
        value = getattr(c, name, None)
        if value is None:
            return f"Ozon sent no {name}"
        values[key] = value
    if item.acquiring is None:
        return "Ozon sent no acquiring"
    return Fees(
        commission_pct=values["commission_pct"],
        logistics=values["logistics"],
        processing=values.get("processing", Decimal(0)),
        last_mile=values["last_mile"],
        acquiring=item.acquiring,
    )


# --- the seller's cost -------------------------------------------------------------------


@dataclass(frozen=True)
class Costs:
    """The seller's costs file: offer id → cost (empty when there is none)."""

    by_offer: Mapping[str, Decimal] = field(default_factory=dict)
    source: str = ""

    def cost_of(self, item: ProductPrice) -> tuple[Decimal | None, str]:
        """``(cost, where from)``: Ozon's ``net_price`` when above 0 (``ozon``), else the
        file's (``file``), else ``(None, "")``."""
        net = item.price.net_price
        if net is not None and net > 0:
            return net, "ozon"
        cost = self.by_offer.get(item.offer_id)
        return (cost, "file") if cost is not None else (None, "")


def cost_file_columns() -> list[Any]:
    """The columns a costs file may have: the offer id (as in price files) and the cost
    (ozonctl's word, Ozon's ``net_price``, Russian and Chinese headers)."""
    from ozonctl.sellerfiles import Column

    return [
        Column("offer_id", ("offer id", "Артикул", "Артикул продавца", "article", "货号")),
        Column(
            "cost",
            (
                "net price",
                "net_price",
                "Себестоимость",
                "Себестоимость товара",
                "Закупочная цена",
                "Цена закупки",
                "成本",
                "成本价",
            ),
        ),
    ]


def load_costs(path: Path, report: Callable[[str], None], *, source: str = "") -> Costs:
    """The seller's costs file: TOML (``[costs]`` table of ``"OFFER" = 123.45``) when its
    name ends in ``.toml``, else a table read as every seller file is (UTF-8 with or
    without a BOM, Windows-1251, TAB/``;``/``,``, Russian headers, a decimal comma).
    Every bad row is reported with its line (``report``) and the command stops (exit 2);
    the file is never changed."""
    name = source or str(path)
    if path.suffix.lower() == ".toml":
        return Costs(_toml_costs(path, name), name)
    from ozonctl.sellerfiles import Problems, parse_money, read_table

    table = read_table(path, cost_file_columns(), needs=[["offer_id"], ["cost"]], source=name)
    problems = Problems(name)
    out: dict[str, Decimal] = {}
    for line, row in table.rows:
        offer, text = row.get("offer_id", ""), row.get("cost", "")
        if not offer:
            problems.add(line, "no offer id")
            continue
        if not text:
            problems.add(line, f"no cost for {offer}")
            continue
        try:
            value = parse_money(text, "cost")
        except UsageError as exc:
            problems.add(line, exc.message)
            continue
        if offer in out and out[offer] != value:
            problems.add(line, f"{offer} has two costs ({out[offer]} and {value})")
            continue
        out[offer] = value
    problems.stop(report)
    return Costs(out, name)


def configured_costs(
    option: Path | None, configured: str | None, report: Callable[[str], None]
) -> Costs:
    """The costs file of ``--cost-file`` (``option``), else the profile's ``cost_file``
    setting (``configured``), else none."""
    if option is not None:
        return load_costs(option, report, source=f"--cost-file {option}")
    if configured:
        path = Path(configured).expanduser()
        return load_costs(path, report, source=f"cost_file {path}")
    return Costs()


def _toml_costs(path: Path, name: str) -> dict[str, Decimal]:
    from ozonctl.sellerfiles import parse_money
    from ozonctl.state.files import read_user_toml

    if not path.exists():
        raise UsageError(f"{name}: no such file")
    table = read_user_toml(path).get("costs")
    if not isinstance(table, dict):
        raise UsageError(
            f"{name}: no [costs] table", hint='write [costs] and then "OFFER-ID" = 123.45 lines'
        )
    out: dict[str, Decimal] = {}
    for offer, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise UsageError(f"{name}: costs.{offer} = {value!r} is not a price")
        out[str(offer)] = parse_money(str(value), f"{name}: costs.{offer}")
    return out


# --- a product's margins --------------------------------------------------------------------


@dataclass(frozen=True)
class ProductMargins:
    """A product's margins at one price, per scheme (a scheme whose fees Ozon did not
    send has none: a product sold by FBO only may lack the FBS amounts); ``missing``
    says why there are none at all (no cost, no price, fees not sent, not roubles)."""

    product_id: int
    offer_id: str
    price: Decimal | None
    cost: Decimal | None
    cost_source: str
    margins: Mapping[str, Margin]
    missing: str = ""

    def worst(self, schemes: Iterable[str] = SCHEMES) -> Margin | None:
        """The lowest margin among ``schemes`` (the one a loss filter judges by)."""
        found = [self.margins[s] for s in schemes if s in self.margins]
        return min(found, key=lambda m: m.margin * 100 / m.price) if found else None


def product_margins(
    item: ProductPrice,
    costs: Costs,
    *,
    price: Decimal | None = None,
    schemes: Iterable[str] = SCHEMES,
) -> ProductMargins:
    """The margins of a ``/v5/product/info/prices`` item at ``price`` (default: its
    current price)."""
    at = price if price is not None else item.price.price
    cost, source = costs.cost_of(item)

    def none(why: str) -> ProductMargins:
        return ProductMargins(item.product_id, item.offer_id, at, cost, source, {}, why)

    currency = item.price.currency_code
    if currency and currency != "RUB":
        return none(f"prices in {currency}: ozonctl counts margins in roubles only")
    if at is None or at <= 0:
        return none("no price")
    if cost is None:
        return none("no known cost: keep net_price at Ozon or give a costs file")
    margins: dict[str, Margin] = {}
    lacking: list[str] = []
    for scheme in schemes:
        fees = fees_of(item, scheme)
        if isinstance(fees, str):
            lacking.append(fees)
        else:
            margins[scheme] = margin(scheme, at, fees, cost)
    if not margins:
        return none("; ".join(dict.fromkeys(lacking)))
    return ProductMargins(item.product_id, item.offer_id, at, cost, source, margins)
