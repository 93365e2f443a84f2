"""``listing stock show | set | import | low``: FBS/rFBS stock per warehouse.

Writes go to ``/v2/products/stocks``: ≤100 product–warehouse pairs a request, 80 requests
a minute (the client's limiter keeps to it), one result per pair."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.listing import app
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.stock_updates import StockUpdate

stock_app = typer.Typer(
    help="FBS stock per warehouse: show, set, import, low.", no_args_is_help=True
)
app.add_typer(stock_app, name="stock")

STOCK_LIMIT = 1_000_000
"""Ozon refuses stock of a million or more (STOCK_TOO_BIG)."""
DEFAULT_LOW = 5
THRESHOLDS_FILE = "stock-thresholds.toml"

Warehouse = Annotated[
    int | None,
    typer.Option("--warehouse", "-w", help="Warehouse id (needed when the shop has several)."),
]


@stock_app.command("show")
def show(
    products: Annotated[
        list[str] | None, typer.Argument(help="Offer ids, SKUs or product ids (default: all).")
    ] = None,
    warehouse: Warehouse = None,
) -> None:
    """Stock of each product on each FBS/rFBS warehouse: present, reserved, free."""
    from ozonctl.cli.output import Column
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    client = ctx.client()
    skus: list[int] = []
    if products:
        found = known_products(ctx, client, products)
        skus = [e.sku for e in found if e.sku]
        if not skus:
            raise UsageError("none of these products has a SKU yet, so none has stock")

    def rows() -> Iterator[dict[str, Any]]:
        for w in client.products.stocks_by_warehouse(skus=skus):
            if warehouse is None or w.warehouse_id == warehouse:
                yield w.model_dump(mode="python")

    ctx.output.rows(
        [
            Column("offer_id", "Offer ID"),
            Column("sku", "SKU", justify="right"),
            Column("warehouse_id", "Warehouse", justify="right"),
            Column("warehouse_name", "Name"),
            Column("present", "Present", justify="right"),
            Column("reserved", "Reserved", justify="right"),
            Column("free_stock", "Free", justify="right"),
        ],
        rows(),
        empty="no stock rows",
    )


def pick_warehouse(client: OzonClient, warehouse: int | None) -> int:
    """``--warehouse``, or the shop's only warehouse."""
    if warehouse is not None:
        return warehouse
    found = list(client.account.warehouses())
    if len(found) == 1:
        return found[0].warehouse_id
    names = ", ".join(f"{w.warehouse_id} ({w.name})" for w in found[:10])
    raise UsageError(
        "this shop has several warehouses; say which with --warehouse ID"
        if found
        else "this shop has no FBS warehouse",
        hint=f"warehouses: {names}" if found else None,
    )


def parse_stock(text: str, where: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise UsageError(f"{where}: stock {text!r} is not a whole number") from None
    if not 0 <= value < STOCK_LIMIT:
        raise UsageError(f"{where}: stock must be 0 to {STOCK_LIMIT - 1:,}, not {value}")
    return value


@stock_app.command("set")
def set_(
    product: Annotated[str, typer.Argument(help="Offer id, SKU or product id.")],
    quantity: Annotated[
        str, typer.Argument(help="Units available on the warehouse.", metavar="QTY")
    ],
    warehouse: Warehouse = None,
) -> None:
    """Set one product's stock on a warehouse."""
    from ozonctl.client.models.stock_updates import StockUpdate
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    qty = parse_stock(quantity, "QTY")
    client = ctx.client()
    found = known_products(ctx, client, [product])
    wh = pick_warehouse(client, warehouse)
    entry = found[0]
    send_stock(ctx, client, [(entry, StockUpdate(entry.product_id, wh, qty))])


@stock_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: offer_id (or sku, product_id), stock, [warehouse_id]; - for stdin."
        ),
    ],
    warehouse: Warehouse = None,
) -> None:
    """Set stock from a CSV file; every line is checked before anything is sent."""
    from ozonctl.client.models.stock_updates import StockUpdate
    from ozonctl.commands.listing._common import input_problems, read_csv, resolve_rows

    ctx = app_context()
    rows = read_csv(file, [])
    client = ctx.client()
    problems: list[str] = []
    for n, row in rows:
        if not (row.get("stock") or row.get("quantity")):
            problems.append(f"line {n}: no stock")
    input_problems(problems)
    resolved = resolve_rows(ctx, client, rows)
    default_wh: int | None = warehouse
    if default_wh is None and any(not row.get("warehouse_id") for _, _, row in resolved):
        default_wh = pick_warehouse(client, None)
    pairs: list[tuple[CatalogEntry, StockUpdate]] = []
    seen: dict[tuple[int, int], int] = {}
    for n, entry, row in resolved:
        try:
            qty = parse_stock(row.get("stock") or row.get("quantity") or "", f"line {n}")
            wh = int(row["warehouse_id"]) if row.get("warehouse_id") else default_wh
        except (UsageError, ValueError) as exc:
            problems.append(
                exc.message if isinstance(exc, UsageError) else f"line {n}: bad warehouse_id"
            )
            continue
        assert wh is not None
        key = (entry.product_id, wh)
        if key in seen:
            problems.append(f"line {n}: same product and warehouse as line {seen[key]}")
            continue
        seen[key] = n
        pairs.append((entry, StockUpdate(entry.product_id, wh, qty)))
    input_problems(problems)
    send_stock(ctx, client, pairs)


def send_stock(
    ctx: AppContext, client: OzonClient, pairs: Sequence[tuple[CatalogEntry, StockUpdate]]
) -> None:
    """Send stock updates (or print the plan) and report each pair."""
    from operator import itemgetter

    from ozonctl.cli.output import Column
    from ozonctl.commands.listing._common import Outcome, emit_outcomes, item_notes

    columns = [
        Column("offer_id", "Offer ID"),
        Column("sku", "SKU", justify="right"),
        Column("warehouse_id", "Warehouse", justify="right"),
        Column("stock", "Stock", justify="right"),
        Column("result", "Result"),
        Column("note", "Note"),
    ]
    if ctx.dry_run:
        plan = [
            Outcome(e, "planned", "", {"warehouse_id": u.warehouse_id, "stock": u.stock})
            for e, u in pairs
        ]
        emit_outcomes(ctx, plan, verb="dry run, nothing sent", columns=columns)
        return
    result = client.products.set_stocks([u for _, u in pairs])
    # An update and its result both begin with (product_id, warehouse_id); the pairs
    # are unique (``import`` refuses a pair twice).
    notes = item_notes(result, itemgetter(0, 1))
    no_answer = ("failed", "no answer for this pair")
    outcomes = [
        Outcome(
            e,
            *notes.get((u.product_id, u.warehouse_id), no_answer),
            {"warehouse_id": u.warehouse_id, "stock": u.stock},
        )
        for e, u in pairs
    ]
    emit_outcomes(ctx, outcomes, verb="stock", columns=columns)


def load_thresholds(path: Path | None, ctx: AppContext) -> tuple[dict[str, int], int | None]:
    """``(per-product thresholds, file default)`` from the seller's TOML file:

    default = 5
    [products]
    "MUG-000001" = 10     # offer id, SKU or product id
    """
    from ozonctl.state.files import read_toml

    file = path or ctx.paths.config_dir / THRESHOLDS_FILE
    if path is not None and not path.is_file():
        raise UsageError(f"--thresholds {path}: no such file")
    data = read_toml(file, warn=ctx.output.warn)
    table = data.get("products", {})
    try:
        per = {str(k): int(v) for k, v in table.items()} if isinstance(table, dict) else {}
        default = int(data["default"]) if "default" in data else None
    except (TypeError, ValueError):
        raise UsageError(f"{file}: thresholds must be whole numbers") from None
    return per, default


@stock_app.command("low")
def low(
    threshold: Annotated[
        int | None,
        typer.Option(
            "--threshold",
            min=0,
            help="Alert at or below N free units (default: the file's `default`, "
            f"else {DEFAULT_LOW}).",
        ),
    ] = None,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds",
            help=f"Per-product thresholds (default: {THRESHOLDS_FILE} in the config folder).",
        ),
    ] = None,
) -> None:
    """Products whose free FBS stock is at or below their threshold (for an alert job).

    A product's own threshold in the file wins over --threshold. Prints nothing (exit 0)
    when all is well, so `ozonctl listing stock low | grep -q .` tells a cron job."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    per, file_default = load_thresholds(thresholds, ctx)
    base = (
        threshold
        if threshold is not None
        else (file_default if file_default is not None else DEFAULT_LOW)
    )
    client = ctx.client()

    def rows() -> Iterator[dict[str, Any]]:
        for p in client.products.stocks():
            sku = p.sku
            limit = per.get(p.offer_id)
            if limit is None:
                limit = per.get(str(sku)) if sku else None
            if limit is None:
                limit = per.get(str(p.product_id), base)
            free = p.fbs_free
            if free <= limit:
                yield {
                    "offer_id": p.offer_id,
                    "product_id": p.product_id,
                    "sku": sku or None,
                    "free": free,
                    "threshold": limit,
                }

    ctx.output.rows(
        [
            Column("offer_id", "Offer ID"),
            Column("product_id", "Product ID", justify="right"),
            Column("sku", "SKU", justify="right"),
            Column("free", "Free", justify="right"),
            Column("threshold", "Threshold", justify="right"),
        ],
        rows(),
        empty="no product is low on stock",
    )
