"""``ozonctl analytics``: what sold, from the postings or from Ozon's analytics, and the
day's budget of Ozon's analytics requests.

``sales`` reads the local sales history of FBS and FBO postings by default (no analytics
request); ``--source ozon`` asks ``/v1/analytics/data``, which Ozon allows 50 times a day
without Premium Plus or Pro: answers are cached and the budget is checked before any
request (``ozonctl.domain.analytics``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.cli.period import FromOption, MonthOption, ToOption
from ozonctl.cli.products import ProductFilterOption, product_skus
from ozonctl.cli.schemas import SALES_LINE
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.domain.analytics import Analytics

app = typer.Typer(
    help="Sales across FBS and FBO, and Ozon's analytics budget.", no_args_is_help=True
)

SOURCES = ("postings", "ozon")
MAX_DAYS = 365

SourceOpt = Annotated[
    str,
    typer.Option(
        "--source",
        callback=one_of(*SOURCES),
        help="postings: the local history of FBS and FBO postings (no analytics request); "
        "ozon: Ozon's /v1/analytics/data (counts against its daily budget).",
    ),
]
RefreshOpt = Annotated[
    bool,
    typer.Option("--refresh", help="Ask Ozon again, however fresh the cached answer or history."),
]


def analytics_for(ctx: AppContext, refresh: bool = False) -> Analytics:
    """The profile's budgeted, cached analytics, saying what it spends on stderr."""
    from ozonctl.domain.analytics import Analytics

    return Analytics(
        ctx.client(), ctx.cache_dir() / "analytics", refresh=refresh, say=ctx.output.info
    )


@app.command("sales")
def sales(
    since: FromOption = None,
    until: ToOption = None,
    month: MonthOption = None,
    by: Annotated[
        str,
        typer.Option("--by", callback=one_of("sku", "day", "week", "month"), help="Group rows by."),
    ] = "sku",
    product: ProductFilterOption = None,
    source: SourceOpt = "postings",
    refresh: RefreshOpt = False,
    from_file: FromFileOption = None,
) -> None:
    """Ordered units and revenue over a period, across FBS and FBO.

    From the postings (default; cancelled ones left out) or from Ozon's analytics
    (--source ozon; what was ordered, cancellations included). --from/--to (or --month)
    default to the last 30 days; rows by SKU (highest revenue first) or by day, week (named by its
    Monday) or month."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.cli.output import Column
    from ozonctl.commands.payout._dates import period, today
    from ozonctl.domain import sales_report as report

    ctx = app_context()
    now = today()
    first, last, _ = period(since, until, month, default=(now - dt.timedelta(days=29), now))
    if (now - first).days >= MAX_DAYS:
        raise UsageError(f"--from {first}: at most {MAX_DAYS} days back")
    wanted = ids_from(product, from_file)
    skus = set(product_skus(ctx, wanted)) if wanted else set()
    client = ctx.client()
    if source == "ozon":
        analytics = analytics_for(ctx, refresh)
        q = report.query(
            first, last, by, ("ordered_units", "revenue"), per_sku=bool(skus) and by != "sku"
        )
        products = len(skus) if skus or by != "sku" else len(CatalogIndex.load(ctx.catalog_dir()))
        analytics.plan([q], report.pages_needed(by, first, last, products))
        totals = report.from_ozon(analytics, first, last, by, skus)
    else:
        from ozonctl.catalog.sales import SalesHistory

        days = (now - first).days + 1
        history = (
            SalesHistory.refresh(ctx.catalog_dir(), client, days)
            if refresh
            else SalesHistory.ensure(ctx.catalog_dir(), ctx.client, days, say=ctx.output.info)
        )
        totals = report.from_postings(history, first, last, by, skus)
    names: dict[int, tuple[str, str]] = {}
    if by == "sku" and totals:
        index = CatalogIndex.ensure(ctx.catalog_dir(), ctx.client, say=ctx.output.info)
        for key in totals:
            entry = index.by_sku(int(key))
            if entry is not None:
                names[entry.sku] = (entry.offer_id, entry.name)
    key_cols = (
        [
            Column("sku", "SKU", justify="right"),
            Column("offer_id", "Offer ID"),
            Column("name", "Name", max_width=40),
        ]
        if by == "sku"
        else [Column("period", by.capitalize())]
    )
    ctx.output.rows(
        [
            *key_cols,
            Column("units", "Units", justify="right"),
            Column("revenue", "Revenue", justify="right"),
        ],
        report.rows(totals, by, names),
        title=f"sales {first} – {last} ({source})" if ctx.output.human else None,
        empty="no sales in the period",
        schema=SALES_LINE,
    )


@app.command("budget")
def budget() -> None:
    """Today's analytics requests: used, left and the daily limit (Moscow day).

    Reads the local ledger; asks Ozon only for the subscription (once a day)."""
    ctx = app_context()
    analytics = analytics_for(ctx)
    plus = analytics.premium_plus
    led = analytics.ledger
    data = {
        "day": led.day,
        "used": led.used,
        "limit": led.limit,
        "left": led.left,
        "subscription": led.tier,
        "traffic_metrics": plus,
    }

    def human() -> None:
        out = ctx.output.stdout
        for key, value in data.items():
            out.write(f"{key}\t{'' if value is None else value}\n")
        out.flush()

    ctx.output.document(data, human=human)
