"""``promo impact``: did leaving (or joining) help? Units and revenue of the products that
moved, in the N days before and after each leave, join or rejoin made with ozonctl.

Sales come from FBS and FBO postings through the shared sales history
(``ozonctl.catalog.sales.SalesHistory``, refreshed first when it is stale or too short);
a day's figures are the posting lines created that day that were not cancelled. The day
of the change counts as "after". Recent changes have fewer days after than before, so
the comparison is per day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments, within
from ozonctl.commands.promo.common import ActionId
from ozonctl.domain.promo_runs import ops_of, read_op
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.state.journal import Operation

MOVED = {"leave": "left", "join": "joined", "rejoin": "joined"}
MAX_DAYS = 365
ZERO = Decimal("0.00")

COLUMNS = (
    Column("date", "Date"),
    Column("kind", "Change"),
    Column("products", "Products", justify="right"),
    Column("days_after", "Days after", justify="right"),
    Column("units_before", "Units before", justify="right"),
    Column("units_after", "Units after", justify="right"),
    Column("revenue_before", "Revenue before", justify="right"),
    Column("revenue_after", "Revenue after", justify="right"),
    Column("revenue_per_day_change_pct", "Revenue/day", justify="right", fmt=lambda v: _pct(v)),
    Column("ref", "Journal ref"),
)
PRODUCT_COLUMNS = (
    Column("date", "Date"),
    Column("kind", "Change"),
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=32),
    Column("units_before", "Units before", justify="right"),
    Column("units_after", "Units after", justify="right"),
    Column("revenue_before", "Revenue before", justify="right"),
    Column("revenue_after", "Revenue after", justify="right"),
)


def _pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"+{value}%" if value > 0 else f"{value}%"


@dataclass(frozen=True)
class Move:
    op: Operation
    kind: str
    day: dt.date
    items: list[dict[str, Any]]
    """Snapshot items (offer id, SKU, name) of the products that moved."""


def moves_of(ops: list[Operation]) -> list[Move]:
    out = []
    for op in ops:
        kind = str(op.header.get("kind"))
        state = read_op(op)
        items = [
            it
            for it in state.snapshot
            if (o := state.outcomes.get(int(it["id"]))) is not None
            and o.status == MOVED[kind]
            and int(it.get("sku") or 0)
        ]
        created = str(op.header.get("created", ""))[:10]
        if items and created:
            out.append(Move(op, kind, dt.date.fromisoformat(created), items))
    return out


def window(
    history: SalesHistory, skus: set[int], start: dt.date, end: dt.date
) -> tuple[dict[int, int], dict[int, Decimal]]:
    """Units and revenue per SKU over ``[start, end]``."""
    units: dict[int, int] = {}
    revenue: dict[int, Decimal] = {}
    if end < start:
        return units, revenue
    for sku, days in history.units_by_day(skus, start, end).items():
        units[sku] = sum(u for u, _ in days.values())
        revenue[sku] = sum((r for _, r in days.values()), ZERO)
    return units, revenue


def change_per_day(
    before: Decimal, days_before: int, after: Decimal, days_after: int
) -> Decimal | None:
    if days_after <= 0 or days_before <= 0 or before <= 0:
        return None
    rate_before = before / days_before
    rate_after = after / days_after
    return ((rate_after - rate_before) * 100 / rate_before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def impact(
    action_id: ActionId,
    days: Annotated[
        int,
        typer.Option("--days", "-n", min=1, max=180, help="Days before and after to compare."),
    ] = 14,
    per_product: Annotated[
        bool, typer.Option("--per-product", help="One row per product instead of per change.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Read new postings first, however fresh the history.")
    ] = False,
    from_: FromOption = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """Did leaving help? Sales before and after.

    Units and revenue of the products that moved, N days before and after each leave or
    join made with ozonctl, from FBS and FBO postings. --from/--to/--month keep the
    changes made in that period."""
    from ozonctl.catalog.sales import SalesHistory

    ctx = app_context()
    bounds = moments(from_, to, month)
    moves = moves_of(ops_of(ctx.journal("promo"), action_id, MOVED))
    moves = [m for m in moves if within(m.day, bounds)]
    if not moves:
        raise UsageError(
            f"no joins or leaves of promotion {action_id} made with ozonctl"
            + (" in this period" if bounds != (None, None) else ""),
            hint="see `ozonctl promo history`",
        )
    today = dt.datetime.now(dt.UTC).date()
    span = (today - (min(m.day for m in moves) - dt.timedelta(days=days))).days
    span = min(span, MAX_DAYS)
    if refresh:
        history = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), span)
    else:
        history = SalesHistory.ensure(ctx.catalog_dir(), ctx.client, span, say=ctx.output.info)

    def rows() -> Iterator[dict[str, Any]]:
        for m in moves:
            skus = {int(it["sku"]) for it in m.items}
            b_units, b_rev = window(
                history, skus, m.day - dt.timedelta(days=days), m.day - dt.timedelta(days=1)
            )
            after_end = min(m.day + dt.timedelta(days=days - 1), today)
            a_units, a_rev = window(history, skus, m.day, after_end)
            days_after = (after_end - m.day).days + 1
            base = {"date": m.day, "kind": m.kind, "ref": m.op.ref, "days_before": days}
            if per_product:
                for it in m.items:
                    sku = int(it["sku"])
                    yield {
                        **base,
                        "product_id": it["id"],
                        "offer_id": it.get("offer_id", ""),
                        "sku": sku,
                        "name": it.get("name", ""),
                        "days_after": days_after,
                        "units_before": b_units.get(sku, 0),
                        "units_after": a_units.get(sku, 0),
                        "revenue_before": b_rev.get(sku, ZERO),
                        "revenue_after": a_rev.get(sku, ZERO),
                    }
                continue
            before = sum(b_rev.values(), ZERO)
            after = sum(a_rev.values(), ZERO)
            yield {
                **base,
                "products": len(m.items),
                "days_after": days_after,
                "units_before": sum(b_units.values()),
                "units_after": sum(a_units.values()),
                "revenue_before": before,
                "revenue_after": after,
                "revenue_per_day_change_pct": change_per_day(before, days, after, days_after),
            }

    ctx.output.rows(PRODUCT_COLUMNS if per_product else COLUMNS, rows())
