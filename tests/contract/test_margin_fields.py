"""The margin (ozonctl.domain.margin) read from Ozon's documented ``/v5/product/info/prices``
answers: every fee it counts is a field the document names, and a fee the documented
example leaves out is never read as 0."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ozon_oracle import examples

from ozonctl.client.endpoints import ENDPOINTS
from ozonctl.client.models.products import ProductPrice
from ozonctl.domain.margin import Costs, product_margins

pytestmark = pytest.mark.contract

EP = ENDPOINTS["product.prices"]


def schema_fields(specs: dict[str, Any]) -> set[str]:
    """The property names of the documented answer's item and its commissions."""
    names: set[str] = set()
    for spec in specs.values():
        schemas = spec.get("components", {}).get("schemas", {})
        for name in ("ItemCommissionsv5", "ItemPricev5"):
            names |= set(schemas.get(name, {}).get("properties", {}))
    return names


def test_every_fee_counted_is_a_documented_field(specs: dict[str, Any]) -> None:
    documented = schema_fields(specs)
    counted = {
        "sales_percent_fbs",
        "sales_percent_fbo",
        "fbs_direct_flow_trans_max_amount",
        "fbo_direct_flow_trans_max_amount",
        "fbs_first_mile_max_amount",
        "fbs_deliv_to_customer_amount",
        "fbo_deliv_to_customer_amount",
        "net_price",
    }
    assert counted <= documented, counted - documented


def test_the_documented_example_lacks_the_direct_flow_so_no_margin(specs: dict[str, Any]) -> None:
    (body,) = examples(specs, EP)[:1]
    for raw in body["items"]:
        pm = product_margins(ProductPrice.model_validate(raw), Costs())
        # the example has net_price but no direct flow nor FBS processing: no margin,
        # and the reason names the field (a fee Ozon did not send is never a 0)
        assert pm.cost == Decimal(repr(raw["price"]["net_price"])) and pm.cost_source == "ozon"
        assert pm.margins == {}
        assert "direct_flow_trans_max_amount" in pm.missing


def test_the_documented_example_with_its_missing_fees_by_hand(specs: dict[str, Any]) -> None:
    (body,) = examples(specs, EP)[:1]
    raw = body["items"][0]
    assert raw["price"]["price"] == 2999.99 and raw["price"]["net_price"] == 2000
    raw["commissions"] |= {
        "fbs_direct_flow_trans_max_amount": 80,
        "fbo_direct_flow_trans_max_amount": 70,
        "fbs_first_mile_max_amount": 25,
    }
    pm = product_margins(ProductPrice.model_validate(raw), Costs())
    # FBS: 2999.99 x 12 % = 359.9988 -> 360.00; + 80 + 25 + 60 + 1.50 = 526.50;
    # 2999.99 - 526.50 - 2000 = 473.49. FBO: 15 % = 449.9985 -> 450.00; + 70 + 14.75
    # + 1.50 = 536.25; 463.74 (15.46 %), the lower.
    assert pm.margins["fbs"].margin == Decimal("473.49")
    assert pm.margins["fbo"].margin == Decimal("463.74")
    worst = pm.worst()
    assert worst is not None and (worst.scheme, worst.percent) == ("fbo", Decimal("15.5"))
