"""``promo impact``: did a promotion help? Units and revenue of its products in the N days
before and after it started, and before and after each leave, join or rejoin made with
ozonctl; for any promotion, joined in the back office or with ozonctl.

Periods come from Ozon (the promotion's start and end, with the products in it now) and
from ozonctl's promo journal (what it changed, on which day). Sales come from FBS and
FBO postings through the shared sales history (``ozonctl.catalog.sales``), and from
Ozon's analytics (ordered units and revenue; views, add-to-cart and conversion with
Premium Plus or Pro) unless ``--no-analytics``: one budgeted, cached request
(``ozonctl.domain.analytics``). The comparison is per day (``ozonctl.domain.impact``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments, within
from ozonctl.commands.promo.common import ActionId
from ozonctl.domain.promo_runs import ops_of, read_op
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.impact import Period
    from ozonctl.state.journal import Operation

MOVED = {"leave": "left", "join": "joined", "rejoin": "joined"}
MAX_DAYS = 365


def _pct(value: Any) -> str:
    if value is None:
        return ""
    return f"+{value}%" if value > 0 else f"{value}%"


SALES = (
    Column("units_before", "Units before", justify="right"),
    Column("units_after", "Units after", justify="right"),
    Column("revenue_before", "Revenue before", justify="right"),
    Column("revenue_after", "Revenue after", justify="right"),
)
OZON = (
    Column("ozon_units_before", "Ozon units before", justify="right"),
    Column("ozon_units_after", "Ozon units after", justify="right"),
)
TRAFFIC = (
    Column("views_before", "Views before", justify="right"),
    Column("views_after", "Views after", justify="right"),
    Column("conversion_before", "To cart % before", justify="right"),
    Column("conversion_after", "To cart % after", justify="right"),
)
COLUMNS = (
    Column("date", "Date"),
    Column("kind", "Change"),
    Column("products", "Products", justify="right"),
    Column("days_after", "Days after", justify="right"),
    *SALES,
    Column("revenue_per_day_change_pct", "Revenue/day", justify="right", fmt=lambda v: _pct(v)),
    Column("ref", "Journal ref"),
)
PRODUCT_COLUMNS = (
    Column("date", "Date"),
    Column("kind", "Change"),
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=32),
    *SALES,
)


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


def ozon_period(client: OzonClient, action_id: int, today: dt.date) -> Period | None:
    """The promotion as Ozon lists it: its dates and the products in it now (None when
    Ozon does not list it: ended, or one of the seller's own)."""
    from ozonctl.commands.promo.common import product_row, with_cards
    from ozonctl.domain.impact import Period

    action = client.promos.get_action(action_id)
    if action is None or action.date_start is None:
        return None
    items = []
    for p, card in with_cards(client, client.promos.products(action_id)):
        row = product_row(p, card)
        if row["sku"]:
            items.append({k: row[k] for k in ("offer_id", "sku", "name")} | {"id": p.id})
    start = action.date_start.astimezone(dt.UTC).date()
    end = action.date_end.astimezone(dt.UTC).date() if action.date_end else today
    if not items or start > today:
        return None
    return Period("promotion", start, end, items, "ozon")


def periods_of(ctx: AppContext, action_id: int, today: dt.date) -> list[Period]:
    from ozonctl.domain.impact import Period

    found = [
        Period(m.kind, m.day, today, m.items, m.op.ref)
        for m in moves_of(ops_of(ctx.journal("promo"), action_id, MOVED))
    ]
    ozon = ozon_period(ctx.client(), action_id, today)
    if ozon is not None:
        found.insert(0, ozon)
    if not found:
        raise UsageError(
            f"promotion {action_id}: Ozon lists no products in it and ozonctl made no joins "
            "or leaves of it",
            hint="see `ozonctl promo list` and `ozonctl promo history`",
        )
    return sorted(found, key=lambda p: (p.day, p.kind != "promotion"))


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
        bool,
        typer.Option("--refresh", help="Read new postings and ask Ozon again, however fresh."),
    ] = False,
    analytics: Annotated[
        bool,
        typer.Option(
            "--analytics/--no-analytics",
            help="Also Ozon's analytics: ordered units and revenue, and views and add-to-cart "
            "with Premium Plus or Pro (one request of the day's budget, cached).",
        ),
    ] = True,
    from_: FromOption = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """Did the promotion help? Sales before and after.

    For any promotion: its products in the N days before and after it started (Ozon's
    dates), and before and after each leave or join made with ozonctl; units and revenue
    from FBS and FBO postings, and from Ozon's analytics (views and add-to-cart too where
    the subscription gives them). --from/--to/--month keep the periods that began
    then."""
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.domain import impact as domain

    ctx = app_context()
    bounds = moments(from_, to, month)
    today = dt.datetime.now(dt.UTC).date()
    periods = [p for p in periods_of(ctx, action_id, today) if within(p.day, bounds)]
    if not periods:
        raise UsageError(
            f"no period of promotion {action_id} began in the period asked",
            hint="see `ozonctl promo history`, or leave out --from/--to/--month",
        )
    first, last = domain.span(periods, days, today)
    reach = min((today - first).days, MAX_DAYS)
    client = ctx.client()
    if refresh:
        history = SalesHistory.refresh(ctx.catalog_dir(), client, reach)
    else:
        history = SalesHistory.ensure(ctx.catalog_dir(), ctx.client, reach, say=ctx.output.info)
    ozon = None
    traffic = False
    if analytics:
        from ozonctl.commands.analytics import analytics_for
        from ozonctl.domain.analytics import pages_for

        budget = analytics_for(ctx, refresh)
        traffic = budget.premium_plus
        query = domain.analytics_query(first, last, traffic)
        skus = {int(it["sku"]) for p in periods for it in p.items}
        budget.plan([query], pages_for(len(skus) * ((last - first).days + 1)))
        ozon = domain.OzonDays(budget, query, skus)
    columns = list(PRODUCT_COLUMNS if per_product else COLUMNS)
    if ozon is not None:
        columns += [*OZON, *(TRAFFIC if traffic else ())]
    ctx.output.rows(
        columns,
        domain.rows(
            periods,
            history,
            ozon,
            days=days,
            today=today,
            per_product=per_product,
            traffic=traffic,
        ),
    )
