"""``listing stale`` (what would be delisted, and why) and ``listing delist-stale`` (the
nightly cron job that archives them).

``delist-stale`` holds the state lock for the whole run (exit 5 at once if another run
has it, or after ``--wait-lock``), refreshes the catalogue index and sales history
incrementally, refuses to archive more than ``--max`` products or ``--max-percent`` of
the products on sale, and writes a journal step before each batch. A run that was killed
is settled by the next one: the products of its unfinished batches are read back from
Ozon and credited to it, so nothing is archived twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.stale import StaleCriteria, StaleMatch
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient

DEFAULT_MAX = 100
DEFAULT_MAX_PERCENT = 5.0

NoSalesDays = Annotated[
    int,
    typer.Option(
        "--no-sales-days", min=1, max=365, help="No sale in this many days (today included)."
    ),
]
MinAgeDays = Annotated[
    int,
    typer.Option(
        "--min-age-days", min=0, help="Only products created at least this many days ago."
    ),
]
ZeroStock = Annotated[
    bool,
    typer.Option(
        "--zero-stock", help="Only products with no stock left in any warehouse (own or Ozon's)."
    ),
]
Exclude = Annotated[
    Path | None,
    typer.Option(
        "--exclude", help="Never these products: a file of offer ids/SKUs/product ids, one a line."
    ),
]


def criteria(
    no_sales_days: int, min_age_days: int, zero_stock: bool, exclude: Path | None
) -> StaleCriteria:
    from ozonctl.catalog.stale import StaleCriteria
    from ozonctl.cli.fromfile import read_ids

    tokens = frozenset(read_ids(exclude, source=f"--exclude {exclude}")) if exclude else frozenset()
    return StaleCriteria(no_sales_days, min_age_days, zero_stock, tokens)


def find(
    ctx: AppContext, client: OzonClient, crit: StaleCriteria, *, refresh: bool
) -> tuple[CatalogIndex, list[StaleMatch], dt.date]:
    """The stale products now (catalogue and sales refreshed if ``refresh`` or stale)."""
    from dataclasses import replace

    from ozonctl.catalog.index import CatalogIndex, utcnow
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.catalog.stale import find_stale, units_anywhere

    days = max(crit.no_sales_days, 1)
    if refresh:
        index = CatalogIndex.refresh(ctx.catalog_dir(), client)
        sales = SalesHistory.refresh(ctx.catalog_dir(), client, days)
    else:
        index = CatalogIndex.ensure(ctx.catalog_dir(), lambda: client, say=ctx.output.info)
        sales = SalesHistory.ensure(ctx.catalog_dir(), lambda: client, days, say=ctx.output.info)
    if crit.exclude:
        warn_unmatched(ctx, index, crit.exclude)
    today = utcnow().date()
    loose = find_stale(index, sales.last_sale, None, replace(crit, zero_stock=False), today)
    stock = (
        {
            p.product_id: units_anywhere(p.stocks)
            for p in client.products.stocks(product_ids=[m.entry.product_id for m in loose])
        }
        if loose
        else {}
    )
    return index, find_stale((m.entry for m in loose), sales.last_sale, stock, crit, today), today


def warn_unmatched(ctx: AppContext, index: CatalogIndex, exclude: frozenset[str]) -> None:
    """A warning for entries of the --exclude file that name no product (a typo there
    would leave the product it meant unprotected)."""
    from ozonctl.catalog.resolve import in_index, parse

    hits = [len({e.product_id for e in in_index(parse(t), index)}) for t in sorted(exclude)]
    unknown = [t for t, k in zip(sorted(exclude), hits, strict=True) if not k]
    two = [t for t, k in zip(sorted(exclude), hits, strict=True) if k > 1]
    if two:
        ctx.output.warn(
            f"--exclude: {', '.join(two[:10])} names several products; all of them are kept "
            "(offer:, sku: or id: names one)"
        )
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        ctx.output.warn(f"--exclude: {len(unknown)} entries match no product: {shown}")


def stale_columns() -> list[Any]:
    from ozonctl.cli.output import Column

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("sku", "SKU", justify="right"),
        Column("name", "Name", max_width=32),
        Column("last_sale", "Last sale", fmt=lambda v: str(v) if v else "none"),
        Column("age_days", "Age (days)", justify="right"),
        Column("stock", "Stock", justify="right"),
    ]


def stale(
    no_sales_days: NoSalesDays = 90,
    min_age_days: MinAgeDays = 30,
    zero_stock: ZeroStock = False,
    exclude: Exclude = None,
) -> None:
    """Products on sale with no sale in N days, each with why (last sale, age, stock).

    Sales come from FBS and FBO postings kept locally and refreshed incrementally;
    stock counts every warehouse, the seller's and Ozon's."""
    ctx = app_context()
    crit = criteria(no_sales_days, min_age_days, zero_stock, exclude)
    client = ctx.client()
    _, matches, _ = find(ctx, client, crit, refresh=False)
    from ozonctl.cli.schemas import STALE_PRODUCT

    ctx.output.rows(
        stale_columns(),
        (m.as_row() for m in matches),
        empty="no stale products",
        schema=STALE_PRODUCT,
    )


def delist_stale(
    no_sales_days: NoSalesDays = 90,
    min_age_days: MinAgeDays = 30,
    zero_stock: ZeroStock = False,
    exclude: Exclude = None,
    max_count: Annotated[
        int, typer.Option("--max", min=0, help="Refuse to run if more products than this match.")
    ] = DEFAULT_MAX,
    max_percent: Annotated[
        float,
        typer.Option(
            "--max-percent",
            min=0,
            max=100,
            help="Refuse if more than this percent of the products on sale match.",
        ),
    ] = DEFAULT_MAX_PERCENT,
    allow_reserved: Annotated[
        bool,
        typer.Option(
            "--allow-reserved",
            help="Archive products with units reserved for orders not shipped yet too "
            "(held back by default).",
        ),
    ] = False,
) -> None:
    """Archive the stale products: the cron job. Safe to run every night.

    One run at a time (exit 5 if another holds the lock); refuses to archive more than
    --max N or --max-percent P of the products on sale; a journal step before every
    batch, so a rerun after a crash finishes without archiving anything twice. Products
    with units reserved for orders not shipped yet are held back (--allow-reserved).
    --dry-run prints the plan. Ends with one line: matched, delisted, failed, skipped;
    exit 0, or 3 when some failed. `listing restore REF` undoes a run."""
    from ozonctl.commands._cron import check_limit, locked_run
    from ozonctl.domain.archiving import change_archived, settle
    from ozonctl.domain.product_outcome import Outcome

    ctx = app_context()
    crit = criteria(no_sales_days, min_age_days, zero_stock, exclude)
    journal = ctx.journal("listing")
    held: set[int] = set()

    def settle_killed(client: OzonClient) -> None:
        settled = settle(
            client, journal, ("delist-stale",), timeout=ctx.profile.timeout, wait=False
        )
        held.update(settled.held)
        for note in settled.notes:
            ctx.output.info(note)

    with locked_run(ctx, "listing delist-stale", settle_killed) as client:
        index, matches, _ = find(ctx, client, crit, refresh=True)
        active = sum(1 for a in index.archived if not a)
        check_limit(
            len(matches),
            active,
            max_count,
            max_percent,
            what="match",
            among="on sale",
            nothing="nothing was archived",
            hint="check them with `ozonctl listing stale`, then raise --max/--max-percent",
        )
        todo = [m for m in matches if m.entry.product_id not in held]
        outcomes = [
            Outcome(m.entry, "skipped", "an interrupted run's request may still be running")
            for m in matches
            if m.entry.product_id in held
        ]
        ref = None
        if ctx.dry_run:
            outcomes += [Outcome(m.entry, "planned", m.why()) for m in todo]
        elif todo:
            ctx.confirm(f"Archive {len(todo)} stale products?")
            ctx.check_roles("product.archive")
            op = journal.new(
                "delist-stale",
                no_sales_days=crit.no_sales_days,
                min_age_days=crit.min_age_days,
                zero_stock=crit.zero_stock,
                excluded=len(crit.exclude),
                matched=len(matches),
            )
            ref = op.ref
            op.record(0, "plan", {"product_id": [m.entry.product_id for m in todo]})
            # Unattended: every product is read back, so the morning's log is the truth.
            outcomes += change_archived(
                client,
                [m.entry for m in todo],
                archive=True,
                op=op,
                verify_all=True,
                allow_reserved=allow_reserved,
            )
            counts = summarize(outcomes, len(matches))
            op.update(status="partial" if counts["failed"] else "done", **counts)
            index.mark_archived(
                (o.entry.product_id for o in outcomes if o.result in ("archived", "unchanged")),
                True,
            )
            index.write()
    report(ctx, matches, outcomes, ref)


def summarize(outcomes: Sequence[Any], matched: int) -> dict[str, int]:
    return {
        "matched": matched,
        "delisted": sum(o.result == "archived" for o in outcomes),
        "failed": sum(o.result == "failed" for o in outcomes),
        "skipped": sum(o.result in ("skipped", "unchanged") for o in outcomes),
    }


def report(
    ctx: AppContext, matches: Sequence[StaleMatch], outcomes: Sequence[Any], ref: str | None
) -> None:
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import STALE_OUTCOME
    from ozonctl.commands._cron import finish

    why = {m.entry.product_id: m.as_row() for m in matches}
    finish(
        ctx,
        "delist-stale",
        [*stale_columns()[:3], Column("result", "Result"), Column("note", "Note")],
        [{**why.get(o.entry.product_id, {}), **o.row()} for o in outcomes],
        summarize(outcomes, len(matches)),
        ref,
        empty="no stale products",
        failed="{n} products could not be archived; listed above",
        errors=[
            f"{o.entry.offer_id or o.entry.product_id}: {o.note}" for o in outcomes if o.failed
        ],
        schema=STALE_OUTCOME,
    )
