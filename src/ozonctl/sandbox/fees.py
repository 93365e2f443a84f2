"""Ozon's fees for a product as ``/v5/product/info/prices`` gives them: ``commissions``
(the sales percent per scheme and the fee amounts), ``acquiring`` and the seller's
``net_price``.

The figures follow the sandbox's finance ledger (``ledger.line_charge``), so a margin
computed from them matches what the ledger then charges a sale: the same commission
ratio for every scheme, logistics ``63 + 0.02 x grams`` (the upper end of the direct
flow; Ozon's document gives it as a from-to range, the lower end here is 75 % of it),
the last mile 5.5 % of the price up to 500, acquiring 1.5 % of the price. FBS adds the
shipment processing (``fbs_first_mile_min/max_amount``: 0 to 25, by drop-off point),
and returns cost what the ledger charges for one (``45 + grams / 100``).
"""

from __future__ import annotations

from decimal import Decimal

from .catalog import Catalog
from .ledger import RATIOS
from .values import kop_to_dec, money_num, q2

LOGISTICS_BASE, PER_GRAM = Decimal(63), Decimal("0.02")
LAST_MILE_SHARE, LAST_MILE_CAP = Decimal("0.055"), Decimal(500)
FIRST_MILE_MAX = Decimal(25)
LOW_END = Decimal("0.75")


def commissions(cat: Catalog, i: int) -> dict[str, float]:
    """The ``commissions`` object of product ``i`` at its current price."""
    price = kop_to_dec(cat.price[i])
    grams = Decimal(cat.weight_g(i))
    percent = float(RATIOS[cat.category_index(i) % len(RATIOS)] * 100)
    logistics = q2(LOGISTICS_BASE + grams * PER_GRAM)
    last_mile = min(q2(price * LAST_MILE_SHARE), LAST_MILE_CAP)
    returns = q2(Decimal(45) + grams / 100)
    out: dict[str, float] = {f"sales_percent_{s}": percent for s in ("fbo", "fbs", "rfbs", "fbp")}
    for scheme in ("fbo", "fbs"):
        out[f"{scheme}_deliv_to_customer_amount"] = money_num(last_mile)
        out[f"{scheme}_direct_flow_trans_min_amount"] = money_num(q2(logistics * LOW_END))
        out[f"{scheme}_direct_flow_trans_max_amount"] = money_num(logistics)
        out[f"{scheme}_return_flow_amount"] = money_num(returns)
    out["fbs_first_mile_min_amount"] = 0.0
    out["fbs_first_mile_max_amount"] = money_num(FIRST_MILE_MAX)
    return out


def acquiring(cat: Catalog, i: int) -> float:
    """Ozon's largest acquiring fee: 1.5 % of the price, to the kopeck."""
    return money_num(cat.price[i] * 15 // 1000)


def net_price(cat: Catalog, i: int) -> float:
    """The seller's cost kept at Ozon; 0 where the seller keeps none."""
    return money_num(cat.net_price[i])
