"""``listing stock show | set | import | low``: FBS/rFBS stock per warehouse.

Writes go to ``/v2/products/stocks``: ≤100 product–warehouse pairs a request, 80 requests
a minute (the client's limiter keeps to it), one result per pair."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.commands._warehouses import WarehouseOption, shop_warehouses, warehouse_id
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import StockUpdate
    from ozonctl.sellerfiles import Problems

stock_app = typer.Typer(
    help="FBS stock per warehouse: show, set, import, low.", no_args_is_help=True
)

STOCK_LIMIT = 1_000_000
"""Ozon refuses stock of a million or more (STOCK_TOO_BIG)."""
DEFAULT_LOW = 5
THRESHOLDS_FILE = "stock-thresholds.toml"

Warehouse = WarehouseOption
"""``--warehouse NAME|ID`` (needed to write when the shop has several)."""


@stock_app.command("show")
def show(
    products: Annotated[
        list[str] | None, typer.Argument(help="Offer ids, SKUs or product ids (default: all).")
    ] = None,
    warehouse: Warehouse = None,
    csv: CsvOption = None,
    from_file: FromFileOption = None,
) -> None:
    """Stock of each product on each FBS/rFBS warehouse: present, reserved, free.

    --csv FILE writes a file `listing stock import` reads back (free is the stock it
    sets)."""
    from ozonctl.cli.csvout import check_csv_target, emit_rows
    from ozonctl.cli.output import Column
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    check_csv_target(csv)
    products = ids_from(products, from_file)
    client = ctx.client()
    only = warehouse_id(ctx, warehouse)
    skus: list[int] = []
    if products:
        found = known_products(ctx, client, products)
        skus = [e.sku for e in found if e.sku]
        if not skus:
            raise UsageError("none of these products has a SKU yet, so none has stock")

    def rows() -> Iterator[dict[str, Any]]:
        for w in client.products.stocks_by_warehouse(skus=skus):
            if only is None or w.warehouse_id == only:
                yield w.model_dump(mode="python")

    columns = [
        Column("offer_id", "Offer ID"),
        Column("sku", "SKU", justify="right"),
        Column("warehouse_id", "Warehouse", justify="right"),
        Column("warehouse_name", "Name"),
        Column("present", "Present", justify="right"),
        Column("reserved", "Reserved", justify="right"),
        Column("free_stock", "Free", justify="right"),
    ]
    from ozonctl.cli.schemas import STOCK_LINE

    emit_rows(ctx.output, columns, rows(), csv=csv, empty="no stock rows", schema=STOCK_LINE)


def pick_warehouse(ctx: AppContext, warehouse: str | None) -> int:
    """The warehouse ``--warehouse`` names, or the shop's only warehouse."""
    if warehouse is not None:
        return shop_warehouses(ctx).resolve(warehouse).id
    found = shop_warehouses(ctx).all()
    if len(found) == 1:
        return found[0].id
    names = ", ".join(w.label() for w in found[:10])
    raise UsageError(
        "this shop has several warehouses; say which with --warehouse NAME|ID"
        if found
        else "this shop has no FBS warehouse",
        hint=f"warehouses: {names}" if found else None,
    )


def parse_stock(text: str, where: str) -> int:
    from ozonctl.sellerfiles import parse_count

    return parse_count(text, f"{where}: stock", below=STOCK_LIMIT)


@stock_app.command("set")
def set_(
    product: Annotated[str, typer.Argument(help="Offer id, SKU or product id.")],
    quantity: Annotated[
        str, typer.Argument(help="Units available on the warehouse.", metavar="QTY")
    ],
    warehouse: Warehouse = None,
) -> None:
    """Set one product's stock on a warehouse."""
    from ozonctl.client.models.products import StockUpdate
    from ozonctl.commands.listing._common import known_products, named_by_offer

    ctx = app_context()
    qty = parse_stock(quantity, "QTY")
    client = ctx.client()
    found = known_products(ctx, client, [product])
    wh = pick_warehouse(ctx, warehouse)
    entry = found[0]
    offer = named_by_offer(product, entry)
    send_stock(
        ctx,
        client,
        [
            (
                entry,
                StockUpdate(
                    product_id=entry.product_id, warehouse_id=wh, stock=qty, offer_id=offer
                ),
            )
        ],
        "set",
    )


def stock_columns() -> list[Any]:
    """The columns a stock file may have: ozonctl's names (what ``stock show --csv``
    writes) and Ozon's template's (Склад, Артикул, Количество)."""
    from ozonctl.sellerfiles import Column

    return [
        Column("offer_id", ("offer id", "Артикул", "Артикул продавца", "article")),
        Column("sku", ("ozon sku", "ozon sku id", "sku ozon")),
        Column("product_id", ("product id", "ozon product id", "ozon id")),
        Column(
            "stock",
            ("quantity", "qty", "Остаток", "Остатки", "Количество", "Доступно", "В наличии"),
        ),
        Column("free_stock", ("free", "Свободный остаток", "Доступно на складе")),
        Column("warehouse_id", ("warehouse id", "id склада")),
        Column("warehouse", ("warehouse name", "warehouse_name", "Склад", "Название склада")),
    ]


STOCK_VALUES = ("stock", "free_stock")
"""The columns a row's stock is read from, in order (``free_stock``: what ``stock show``
prints as free, the number ``/v2/products/stocks`` sets)."""


@stock_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV/TSV: offer_id (or sku, product_id; Артикул), stock (Остаток, "
            "Количество), [warehouse_id or warehouse name (Склад)]; - for stdin."
        ),
    ],
    warehouse: Warehouse = None,
) -> None:
    """Set stock from a file; every line is checked before anything is sent.

    Takes what Excel and Ozon's template save (UTF-8, UTF-16, Windows-1251; TAB, ; or ,)
    and what `listing stock show --csv` writes."""
    from ozonctl.client.models.products import StockUpdate
    from ozonctl.commands.listing._common import PRODUCT_COLUMNS, by_offer_id, resolve_rows
    from ozonctl.sellerfiles import Problems, pick, read_table

    ctx = app_context()
    source = "stdin" if str(file) == "-" else str(file)
    table = read_table(file, stock_columns(), needs=[PRODUCT_COLUMNS, STOCK_VALUES], source=source)
    problems = Problems(source)
    client = ctx.client()
    ctx.expect_writes()
    warehouses = warehouse_lookup(ctx, table.rows, warehouse, problems)
    values: dict[int, tuple[int, int]] = {}  # line: (stock, warehouse), every row's
    for n, row in table.rows:
        wh = warehouses(n, row)
        try:
            qty = parse_stock(pick(row, STOCK_VALUES), f"line {n}")
        except UsageError as exc:
            problems.add(n, exc.message.removeprefix(f"line {n}: "))
            continue
        if wh is not None:
            values[n] = (qty, wh)
    pairs: list[tuple[CatalogEntry, StockUpdate]] = []
    seen: dict[tuple[int, int], int] = {}
    for n, entry, row in resolve_rows(ctx, client, table.rows, problems):
        if n not in values:
            continue
        qty, wh = values[n]
        key = (entry.product_id, wh)
        if key in seen:
            problems.add(n, f"same product and warehouse as line {seen[key]}")
            continue
        seen[key] = n
        update = StockUpdate(
            product_id=entry.product_id,
            warehouse_id=wh,
            stock=qty,
            offer_id=by_offer_id(row, entry),
        )
        pairs.append((entry, update))
    problems.stop(ctx.output.error)
    send_stock(ctx, client, pairs)


def warehouse_lookup(
    ctx: AppContext,
    rows: Sequence[tuple[int, dict[str, str]]],
    default: str | None,
    problems: Problems,
) -> Callable[[int, dict[str, str]], int | None]:
    """A row's warehouse id: its ``warehouse_id``, else its warehouse given by name (any
    case, or a unique start of it) or id (Ozon's template names it), else ``--warehouse``
    or the shop's only one. A bad one is a problem (None)."""
    bare = any(not row.get("warehouse") and not row.get("warehouse_id") for _, row in rows)
    fallback = pick_warehouse(ctx, default) if bare else None
    known = shop_warehouses(ctx)

    def lookup(n: int, row: dict[str, str]) -> int | None:
        text = row.get("warehouse_id") or row.get("warehouse") or ""
        if not text:
            return fallback
        if text.isascii() and text.isdigit():
            return int(text)
        if row.get("warehouse_id"):
            problems.add(n, f"warehouse id {text!r} is not a number")
            return None
        try:
            return known.resolve(" ".join(text.split()), "warehouse").id
        except UsageError as exc:
            problems.add(n, exc.message)
            return None

    return lookup


def send_stock(
    ctx: AppContext,
    client: OzonClient,
    pairs: Sequence[tuple[CatalogEntry, StockUpdate]],
    kind: str = "import",
) -> None:
    """Send stock updates (or print the plan) and report each pair.

    Under the state lock, with a journal that a rerun of the same pairs resumes after a
    kill (:mod:`._imports`): the pairs the killed run may have sent are read back and
    only those Ozon does not have are sent again."""
    from ozonctl.cli.output import Column
    from ozonctl.client import endpoints
    from ozonctl.commands.listing._common import (
        emit_outcomes,
        plan_outcomes,
        run_outcomes,
        write_columns,
    )
    from ozonctl.commands.listing._imports import begin, settle_unknown

    columns = write_columns(
        Column("sku", "SKU", justify="right"),
        Column("warehouse_id", "Warehouse", justify="right"),
        Column("stock", "Stock", justify="right"),
    )
    entries = [e for e, _ in pairs]
    extra = [{"warehouse_id": u.warehouse_id, "stock": u.stock} for _, u in pairs]
    if ctx.dry_run:
        emit_outcomes(
            ctx, plan_outcomes(entries, extra), verb="dry run, nothing sent", columns=columns
        )
        return
    if pairs:
        ctx.confirm(f"Set the stock of {len(pairs)} product/warehouse pairs?")
    with ctx.lock(f"listing stock {kind}"):
        run = begin(
            ctx, f"stock-{kind}", [u.body() for _, u in pairs], writes="product.stocks.update"
        )
        done = applied(client, [pairs[i] for i in run.in_doubt])
        notes: dict[int, tuple[str, str]] = {
            i: ("unchanged", f"already so (set by {run.resumed.ref if run.resumed else ''})")
            for i, hit in zip(run.in_doubt, done, strict=True)
            if hit
        }
        places = [i for i in range(len(pairs)) if i not in notes]
        todo = [pairs[i] for i in places]
        batch = endpoints.get("product.stocks.update").max_items or 100
        result = client.products.set_stocks(
            [u for _, u in todo], before_batch=run.planner(places, batch)
        )
        sent = stock_notes(todo, result)
        settle_unknown(
            [u for _, u in todo],
            result,
            sent,
            lambda idx: applied(client, [todo[i] for i in idx]),
            "`ozonctl listing stock show`",
        )
        notes.update(zip(places, sent, strict=True))
        outcomes = run_outcomes(entries, notes, extra)
        run.finish(outcomes)
    if run.resumed is not None:
        ctx.output.info(
            f"resumed interrupted run {run.resumed.ref}: {len(run.in_doubt)} pairs it may "
            f"have sent read back, {sum(done)} of them already set"
        )
    emit_outcomes(ctx, outcomes, verb="stock", columns=columns, ref=run.op.ref)


def applied(client: OzonClient, pairs: Sequence[tuple[CatalogEntry, StockUpdate]]) -> list[bool]:
    """Whether Ozon has each pair's stock already (an interrupted run's pair may have
    been set or not): its free stock on that warehouse, read by offer id or SKU."""
    if not pairs:
        return []
    offers = [u.offer_id for _, u in pairs if u.offer_id]
    skus = [e.sku for e, u in pairs if not u.offer_id and e.sku]
    if not offers and not skus:  # (with neither, the method would walk the whole shop)
        return [False] * len(pairs)
    free: dict[tuple[Any, int], int] = {}
    for w in client.products.stocks_by_warehouse(offer_ids=offers, skus=skus):
        free[(w.offer_id, w.warehouse_id)] = w.free_stock
        free[(w.sku, w.warehouse_id)] = w.free_stock
    return [
        free.get((u.offer_id if u.offer_id else e.sku, u.warehouse_id)) == u.stock for e, u in pairs
    ]


def stock_notes(
    pairs: Sequence[tuple[CatalogEntry, StockUpdate]], result: Any
) -> list[tuple[str, str]]:
    """``(result, note)`` of each pair from Ozon's answer. A pair sent by offer id is
    matched by offer id (Ozon applies it to the product that has it now, and echoes
    that product's id); the pairs are unique (``import`` refuses a pair twice)."""
    from operator import attrgetter

    from ozonctl.commands.listing._common import item_notes

    by_pid = item_notes(result, attrgetter("product_id", "warehouse_id"))
    by_offer = item_notes(result, lambda r: (r.offer_id, r.warehouse_id))
    no_answer = ("failed", "no answer for this pair")
    return [
        by_offer.get((u.offer_id, u.warehouse_id), no_answer)
        if u.offer_id
        else by_pid.get((u.product_id, u.warehouse_id), no_answer)
        for _, u in pairs
    ]


def thresholds_by_id(per: dict[str, int]) -> dict[str, dict[str, int]]:
    """The file's thresholds by the id their key may be (``offer:``, ``sku:``, ``id:``
    say which; a bare key is each id it may be, a prefixed one wins)."""
    from ozonctl.catalog.resolve import parse

    out: dict[str, dict[str, int]] = {"offer": {}, "sku": {}, "id": {}}
    for key, limit in sorted(per.items(), key=lambda kv: parse(kv[0]).kind is not None):
        ref = parse(key)
        for kind in [ref.kind] if ref.kind else ["offer", "sku", "id"]:
            if kind == "offer" or ref.value.isdigit():
                out[kind][ref.value] = limit
    return out


def load_thresholds(path: Path | None, ctx: AppContext) -> tuple[dict[str, int], int | None]:
    """``(per-product thresholds, file default)`` from the seller's TOML file:

    default = 5
    [products]
    "MUG-000001" = 10     # offer id, SKU or product id
    """
    from ozonctl.state.files import read_user_toml

    file = path or ctx.paths.config_dir / THRESHOLDS_FILE
    if path is not None and not path.exists():
        raise UsageError(f"--thresholds {path}: no such file")
    data = read_user_toml(file)  # the seller's file: never moved aside
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
    from ozonctl.cli.schemas import LOW_STOCK

    ctx = app_context()
    per, file_default = load_thresholds(thresholds, ctx)
    base = (
        threshold
        if threshold is not None
        else (file_default if file_default is not None else DEFAULT_LOW)
    )
    client = ctx.client()
    by_kind = thresholds_by_id(per)

    def rows() -> Iterator[dict[str, Any]]:
        for p in client.products.stocks():
            sku = p.sku
            limit = by_kind["offer"].get(p.offer_id)
            if limit is None:
                limit = by_kind["sku"].get(str(sku)) if sku else None
            if limit is None:
                limit = by_kind["id"].get(str(p.product_id), base)
            free = p.fbs_free
            if free <= limit:
                yield {
                    "offer_id": p.offer_id,
                    "product_id": p.product_id,
                    "sku": sku or None,
                    "free_stock": free,
                    "threshold": limit,
                }

    ctx.output.rows(
        [
            Column("offer_id", "Offer ID"),
            Column("product_id", "Product ID", justify="right"),
            Column("sku", "SKU", justify="right"),
            Column("free_stock", "Free", justify="right"),
            Column("threshold", "Threshold", justify="right"),
        ],
        rows(),
        empty="no product is low on stock",
        schema=LOW_STOCK,
    )
