"""``listing price show | set | import``: price, old (crossed-out) price, minimum price.

Writes go to ``/v1/product/import/prices`` (≤1000 a request, one result each). A new
price more than ``--max-cut`` percent (default 50) below the current one is listed and
needs confirmation (``--yes`` where ozonctl cannot ask)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
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
    from ozonctl.client.models.products import PriceUpdate

price_app = typer.Typer(help="Prices: show, set, import.", no_args_is_help=True)
app.add_typer(price_app, name="price")

DEFAULT_MAX_CUT = Decimal(50)

MaxCut = Annotated[
    float,
    typer.Option(
        "--max-cut",
        min=0,
        max=100,
        help="Ask before lowering a price by more than this percent.",
    ),
]


def price_columns() -> list[Any]:
    from ozonctl.cli.output import Column
    from ozonctl.client.models.products import money

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("price", "Price", justify="right", fmt=money),
        Column("old_price", "Old price", justify="right", fmt=money),
        Column("min_price", "Min price", justify="right", fmt=money),
        Column("currency", "Currency"),
    ]


@price_app.command("show")
def show(
    products: Annotated[
        list[str] | None, typer.Argument(help="Offer ids, SKUs or product ids (default: all).")
    ] = None,
) -> None:
    """Current prices (streams every product when none is named)."""
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    client = ctx.client()
    pids: list[int] = []
    if products:
        found = known_products(ctx, client, products)
        pids = [e.product_id for e in found]

    def rows() -> Iterator[dict[str, Any]]:
        for p in client.products.prices(product_ids=pids):
            yield {
                "offer_id": p.offer_id,
                "product_id": p.product_id,
                "price": p.price.price,
                "old_price": p.price.old_price,
                "min_price": p.price.min_price,
                "currency": p.price.currency_code,
            }

    ctx.output.rows(price_columns(), rows(), empty="no prices")


def parse_money(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise UsageError(f"{where}: {text!r} is not a price") from None
    if not value.is_finite() or value < 0:
        raise UsageError(f"{where}: {text!r} is not a price")
    return value


def check_update(update: PriceUpdate, where: str) -> list[str]:
    """Obvious mistakes Ozon would refuse anyway."""
    problems = []
    if update.price is not None and update.price <= 0:
        problems.append(f"{where}: price must be above 0")
    if update.price is not None and update.old_price and update.old_price <= update.price:
        problems.append(f"{where}: old price must be above the price (or 0 to remove it)")
    if update.price is not None and update.min_price and update.min_price > update.price:
        problems.append(f"{where}: min price must not be above the price")
    if update.price is None and update.old_price is None and update.min_price is None:
        problems.append(f"{where}: nothing to change")
    return problems


def make_update(entry: CatalogEntry, values: dict[str, str], where: str) -> PriceUpdate:
    from ozonctl.client.models.products import PriceUpdate

    fields = {
        key: parse_money(values[key], f"{where} {key}")
        for key in ("price", "old_price", "min_price")
        if values.get(key)
    }
    return PriceUpdate(product_id=entry.product_id, **fields)


@price_app.command("set")
def set_(
    product: Annotated[str, typer.Argument(help="Offer id, SKU or product id.")],
    price: Annotated[str | None, typer.Option("--price", help="New price.")] = None,
    old_price: Annotated[
        str | None, typer.Option("--old-price", help="Crossed-out price (0 removes it).")
    ] = None,
    min_price: Annotated[
        str | None, typer.Option("--min-price", help="Lowest price Ozon may apply.")
    ] = None,
    max_cut: MaxCut = float(DEFAULT_MAX_CUT),
) -> None:
    """Set one product's price, old price and/or minimum price."""
    from ozonctl.commands.listing._common import input_problems, known_products

    ctx = app_context()
    client = ctx.client()
    found = known_products(ctx, client, [product])
    update = make_update(
        found[0],
        {"price": price or "", "old_price": old_price or "", "min_price": min_price or ""},
        "set",
    )
    input_problems(check_update(update, product))
    send_prices(ctx, client, [(found[0], update)], Decimal(str(max_cut)))


@price_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: offer_id (or sku, product_id), price, [old_price], [min_price]; - for stdin."
        ),
    ],
    max_cut: MaxCut = float(DEFAULT_MAX_CUT),
) -> None:
    """Set prices from a CSV file; every line is checked before anything is sent."""
    from ozonctl.commands.listing._common import input_problems, read_csv, resolve_rows

    ctx = app_context()
    rows = read_csv(file, [])
    client = ctx.client()
    resolved = resolve_rows(ctx, client, rows)
    problems: list[str] = []
    pairs: list[tuple[CatalogEntry, PriceUpdate]] = []
    seen: dict[int, int] = {}
    for n, entry, row in resolved:
        try:
            update = make_update(entry, row, f"line {n}")
        except UsageError as exc:
            problems.append(exc.message)
            continue
        problems += check_update(update, f"line {n}")
        if entry.product_id in seen:
            problems.append(f"line {n}: same product as line {seen[entry.product_id]}")
        seen[entry.product_id] = n
        pairs.append((entry, update))
    input_problems(problems)
    send_prices(ctx, client, pairs, Decimal(str(max_cut)))


def deep_cuts(
    pairs: Sequence[tuple[CatalogEntry, PriceUpdate]],
    current: dict[int, Decimal | None],
    max_cut: Decimal,
) -> list[tuple[CatalogEntry, Decimal, Decimal, Decimal]]:
    """``(entry, current, new, cut %)`` for new prices more than ``max_cut`` % below."""
    out = []
    for entry, update in pairs:
        now = current.get(entry.product_id)
        if update.price is None or not now or now <= 0:
            continue
        cut = (now - update.price) * 100 / now
        if cut > max_cut:
            out.append((entry, now, update.price, cut.quantize(Decimal("0.1"))))
    return out


def send_prices(
    ctx: AppContext,
    client: OzonClient,
    pairs: Sequence[tuple[CatalogEntry, PriceUpdate]],
    max_cut: Decimal,
) -> None:
    from ozonctl.cli.output import Column
    from ozonctl.commands.listing._common import Outcome, emit_outcomes, item_notes

    current = {
        p.product_id: p.price.price
        for p in client.products.prices(product_ids=[e.product_id for e, _ in pairs])
    }
    extra = {
        e.product_id: {
            "current": current.get(e.product_id),
            "price": u.price,
            "old_price": u.old_price,
            "min_price": u.min_price,
        }
        for e, u in pairs
    }
    columns = [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("current", "Current", justify="right"),
        Column("price", "New price", justify="right"),
        Column("result", "Result"),
        Column("note", "Note"),
    ]
    cuts = deep_cuts(pairs, current, max_cut)
    for entry, now, new, cut in cuts:
        ctx.output.warn(f"{entry.offer_id}: {now} → {new} is {cut}% lower")
    if ctx.dry_run:
        plan = [Outcome(e, "planned", "", extra[e.product_id]) for e, _ in pairs]
        emit_outcomes(ctx, plan, verb="dry run, nothing sent", columns=columns)
        return
    if cuts:
        ctx.confirm(f"{len(cuts)} prices fall by more than {max_cut}%; set them?")
    result = client.products.set_prices([u for _, u in pairs])
    notes = item_notes(result, lambda r: r.product_id)
    outcomes = [
        Outcome(e, *notes.get(e.product_id, ("failed", "no answer for it")), extra[e.product_id])
        for e, _ in pairs
    ]
    emit_outcomes(ctx, outcomes, verb="price", columns=columns)
