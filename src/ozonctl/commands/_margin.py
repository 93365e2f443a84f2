"""What the margin commands share (``listing margin`` and the margin columns and
filters of ``promo products|candidates|join|leave``): the options, the costs file of
the run, and the margins of product rows at the price each row names.

The arithmetic is :mod:`ozonctl.domain.margin`; this module only ties it to options and
rows. Imports only typer at module level (``ozonctl --help`` stays fast).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.margin import Costs, ProductMargins

CostFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--cost-file",
        metavar="PATH",
        help="Your costs (offer id and cost, CSV or TOML) for products whose cost Ozon "
        "does not keep as net_price (default: the cost_file setting).",
    ),
]
SchemeOpt = Annotated[
    str | None,
    typer.Option(
        "--scheme",
        metavar="fbs|fbo",
        callback=one_of("fbs", "fbo"),
        help="The sales scheme to count (default: both; filters judge by the lower).",
    ),
]
MarginBelowOpt = Annotated[
    float | None,
    typer.Option(
        "--margin-below",
        metavar="PCT",
        help="Only products whose margin at the action price is below PCT % of it "
        "(0: those that lose money); products without a known cost are never picked.",
    ),
]
ESTIMATE_NOTE = (
    "logistics and processing are estimates: the upper end of the range Ozon gives "
    "(they depend on volume and distance)"
)
INFO_CHUNK = 1000
"""Products per ``/v5/product/info/prices`` call."""


def percent(value: float | None, option: str) -> Decimal | None:
    """A percentage option as a Decimal (a margin may be below -100 %, not above 100)."""
    if value is None:
        return None
    if not -1000 <= value < 100:
        raise UsageError(f"{option} must be a percentage below 100")
    return Decimal(str(value))


def schemes(scheme: str | None) -> tuple[str, ...]:
    from ozonctl.domain.margin import SCHEMES

    return (scheme,) if scheme else SCHEMES


def run_costs(ctx: AppContext, option: Path | None) -> Costs:
    """The costs file of this run (``--cost-file``, else the profile's ``cost_file``)."""
    from ozonctl.domain.margin import configured_costs

    return configured_costs(option, ctx.profile.cost_file, ctx.output.error)


def with_margins(
    client: OzonClient,
    rows: Iterable[dict[str, Any]],
    costs: Costs,
    scheme: str | None,
    *,
    price_key: str = "action_price",
    chunk: int = INFO_CHUNK,
) -> Iterator[dict[str, Any]]:
    """Each row with ``margin``, ``margin_pct`` and ``margin_scheme`` (the lower of the
    schemes counted, at ``row[price_key]``) and ``margin_note`` (why there is none);
    Ozon's fees are read 1000 products a call."""
    from ozonctl.commands.promo.common import batched
    from ozonctl.domain.margin import product_margins

    counted = schemes(scheme)
    for part in batched(rows, chunk):
        ids = [r["product_id"] for r in part if r.get("product_id")]
        items = {p.product_id: p for p in client.products.prices(product_ids=ids)} if ids else {}
        for row in part:
            item = items.get(row.get("product_id") or 0)
            if row.get(price_key) is None:
                yield {**row, **_none("no action price")}
                continue
            if item is None:
                yield {**row, **_none("Ozon gave no fees for it")}
                continue
            yield {
                **row,
                **margin_fields(product_margins(item, costs, price=row.get(price_key)), counted),
            }


def margin_fields(pm: ProductMargins, counted: Iterable[str]) -> dict[str, Any]:
    worst = pm.worst(counted)
    if worst is None:
        return _none(pm.missing)
    return {
        "margin": worst.margin,
        "margin_pct": worst.percent,
        "margin_scheme": worst.scheme.upper(),
        "margin_note": "",
        "_margin": worst,
    }


def _none(why: str) -> dict[str, Any]:
    return {
        "margin": None,
        "margin_pct": None,
        "margin_scheme": None,
        "margin_note": why,
        "_margin": None,
    }


def below(row: dict[str, Any], pct: Decimal) -> bool:
    """Whether a row's margin is known and below ``pct`` percent."""
    m = row.get("_margin")
    return m is not None and bool(m.below(pct))


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The row without the private ``_margin`` object (what is printed)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}
