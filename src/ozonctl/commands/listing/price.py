"""``listing price show | set | import``: price, old (crossed-out) price, minimum price.

Writes go to ``/v1/product/import/prices`` (≤1000 a request, one result each). A new
price more than ``--max-cut`` percent (default 50) below the current one is listed and
needs confirmation (``--yes`` where ozonctl cannot ask)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import PriceUpdate, ProductPrice

price_app = typer.Typer(help="Prices: show, set, import.", no_args_is_help=True)

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

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("price", "Price", justify="right"),
        Column("old_price", "Old price", justify="right"),
        Column("min_price", "Min price", justify="right"),
        Column("currency", "Currency"),
    ]


@price_app.command("show")
def show(
    products: Annotated[
        list[str] | None, typer.Argument(help="Offer ids, SKUs or product ids (default: all).")
    ] = None,
    csv: CsvOption = None,
    from_file: FromFileOption = None,
) -> None:
    """Current prices (streams every product when none is named); money with two
    decimals. --csv FILE writes a file `listing price import` reads back."""
    from ozonctl.cli.csvout import check_csv_target, emit_rows
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    check_csv_target(csv)
    products = ids_from(products, from_file)
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
                "price": money_or_none(p.price.price),
                "old_price": money_or_none(p.price.old_price),
                "min_price": money_or_none(p.price.min_price),
                "currency": p.price.currency_code,
            }

    from ozonctl.cli.schemas import PRICE

    emit_rows(ctx.output, price_columns(), rows(), csv=csv, empty="no prices", schema=PRICE)


PRICE_FIELDS = ("price", "old_price", "min_price")


def price_file_columns() -> list[Any]:
    """The columns a price file may have: ozonctl's names (what ``price show --csv``
    writes) and the words of Ozon's price template."""
    from ozonctl.sellerfiles import Column

    return [
        Column("offer_id", ("offer id", "Артикул", "Артикул продавца", "article")),
        Column("sku", ("ozon sku", "ozon sku id", "sku ozon")),
        Column("product_id", ("product id", "ozon product id", "ozon id")),
        Column(
            "price",
            (
                "Цена",
                "Текущая цена",
                "Цена со скидкой",
                "Цена с учетом скидки",
                "Текущая цена (со скидкой)",
                "Цена с учетом скидок",
                "Цена продажи",
            ),
        ),
        Column("old_price", ("old price", "Цена до скидки", "Старая цена", "Зачеркнутая цена")),
        Column("min_price", ("min price", "Минимальная цена", "Мин. цена", "Мин цена")),
    ]


def parse_prices(values: dict[str, str], at: str) -> dict[str, Decimal]:
    """The prices a row (or ``price set``'s options) sets; a bad value raises
    UsageError naming ``at`` and the field."""
    from ozonctl.sellerfiles import parse_money

    return {key: parse_money(values[key], f"{at}{key}") for key in PRICE_FIELDS if values.get(key)}


def make_update(
    entry: CatalogEntry, fields: dict[str, Decimal], offer_id: str | None
) -> PriceUpdate:
    """The update of ``entry`` to ``fields``: by offer id when the row names it so (Ozon
    then applies it to the product that has that offer id now)."""
    from ozonctl.client.models.products import PriceUpdate

    if offer_id:
        return PriceUpdate(offer_id=offer_id, **fields)
    return PriceUpdate(product_id=entry.product_id, **fields)


def old_price_gap(price: Decimal) -> Decimal:
    """The least ``old_price - price`` Ozon accepts (its table for ``price``): 20 ₽
    below 400, 5 % from 400 to 10,000, 500 ₽ above."""
    if price < 400:
        return Decimal(20)
    if price <= 10_000:
        return price * Decimal("0.05")
    return Decimal(500)


def rule_problems(update: PriceUpdate, current: Any) -> list[str]:
    """The rules of ``/v1/product/import/prices`` a row breaks, on the values the product
    will have (what the row sets, else its current ones): a price above 0; a min price
    not above the price; an old price 0 (none) or above the price by Ozon's least gap,
    and less than a 90 % discount from it."""
    price = update.price if update.price is not None else getattr(current, "price", None)
    old = update.old_price if update.old_price is not None else getattr(current, "old_price", None)
    low = update.min_price if update.min_price is not None else getattr(current, "min_price", None)
    out = []
    if update.price is None and update.old_price is None and update.min_price is None:
        return [] if update.auto_add_to_ozon_actions_list_enabled else ["nothing to change"]
    if price is None or price <= 0:
        return ["price must be above 0" + ("" if update.price is not None else " (set --price)")]
    if low and low > price:
        out.append(f"min price {low} is above the price {price}")
    if old:
        if old <= price:
            out.append(f"old price {old} must be above the price {price} (or 0 to remove it)")
        elif old - price < old_price_gap(price):
            out.append(
                f"old price {old} is too close to the price {price}: Ozon wants at least "
                f"{old_price_gap(price).quantize(Decimal('0.01'))} between them"
            )
        elif (old - price) * 10 >= old * 9:
            out.append(f"old price {old} is a discount of 90 % or more from {price}")
    return out


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
    auto_add: Annotated[
        str | None,
        typer.Option(
            "--auto-add",
            metavar="on|off",
            help="Let Ozon put the product on its promotions' auto-add lists, or not.",
            callback=one_of("on", "off"),
        ),
    ] = None,
) -> None:
    """Set one product's price, old price and/or minimum price, or Ozon's auto-adding.

    Ozon's rules are checked first (min price not above the price, old price 0 or far
    enough above it); nothing is sent when one is broken. --auto-add off keeps Ozon from
    adding the product to its promotions by itself (the auto-add lists)."""
    from ozonctl.commands.listing._common import known_products, named_by_offer

    ctx = app_context()
    values = {"price": price or "", "old_price": old_price or "", "min_price": min_price or ""}
    client = ctx.client()
    found = known_products(ctx, client, [product])
    entry = found[0]
    by_offer = named_by_offer(product, entry)
    update = make_update(entry, parse_prices(values, "--"), by_offer)
    if auto_add is not None:
        update.auto_add_to_ozon_actions_list_enabled = "ENABLED" if auto_add == "on" else "DISABLED"
    send_prices(ctx, client, [(0, entry, update)], Decimal(str(max_cut)), source="", kind="set")


@price_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV/TSV: offer_id (or sku, product_id; Артикул), price (Цена), "
            "[old_price (Цена до скидки)], [min_price (Минимальная цена)]; - for stdin."
        ),
    ],
    max_cut: MaxCut = float(DEFAULT_MAX_CUT),
) -> None:
    """Set prices from a file; every line is checked before anything is sent.

    Takes what Excel and Ozon's template save (UTF-8, UTF-16, Windows-1251; TAB, ; or ,)
    and what `listing price show --csv` writes. Rows that change nothing are not sent
    (Ozon allows 10 price changes a product an hour)."""
    from ozonctl.commands.listing._common import PRODUCT_COLUMNS, by_offer_id, resolve_rows
    from ozonctl.sellerfiles import Problems, read_table

    ctx = app_context()
    source = "stdin" if str(file) == "-" else str(file)
    table = read_table(
        file, price_file_columns(), needs=[PRODUCT_COLUMNS, PRICE_FIELDS], source=source
    )
    problems = Problems(source)
    client = ctx.client()
    fields: dict[int, dict[str, Decimal]] = {}  # every row's values, known product or not
    for n, row in table.rows:
        try:
            fields[n] = parse_prices(row, "")
        except UsageError as exc:
            problems.add(n, exc.message)
    rows: list[tuple[int, CatalogEntry, PriceUpdate]] = []
    seen: dict[int, int] = {}
    for n, entry, row in resolve_rows(ctx, client, table.rows, problems):
        if n not in fields:
            continue
        update = make_update(entry, fields[n], by_offer_id(row, entry))
        if entry.product_id in seen:
            problems.add(n, f"same product as line {seen[entry.product_id]}")
            continue
        seen[entry.product_id] = n
        rows.append((n, entry, update))
    problems.stop(ctx.output.error)
    send_prices(ctx, client, rows, Decimal(str(max_cut)), source=source)


def unchanged(update: PriceUpdate, current: Any) -> bool:
    """Whether ``update`` sets only what the product already has."""
    if current is None:
        return False
    flag = update.auto_add_to_ozon_actions_list_enabled
    if flag is not None and (flag == "ENABLED") != getattr(
        current, "auto_add_to_ozon_actions_list_enabled", None
    ):
        return False
    return all(
        getattr(update, key) is None or getattr(update, key) == (getattr(current, key) or 0)
        for key in PRICE_FIELDS
    )


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


def current_prices(
    client: OzonClient, rows: Sequence[tuple[int, CatalogEntry, PriceUpdate]]
) -> list[ProductPrice | None]:
    """Each row's product's prices as Ozon has them now, read by offer id for the rows
    that name one (not through the local index), else by product id."""
    offers = [u.offer_id for _, _, u in rows if u.offer_id]
    pids = [e.product_id for _, e, u in rows if not u.offer_id]
    by_offer = {p.offer_id: p for p in client.products.prices(offer_ids=offers)} if offers else {}
    by_pid = {p.product_id: p for p in client.products.prices(product_ids=pids)} if pids else {}
    return [
        by_offer.get(u.offer_id) if u.offer_id else by_pid.get(e.product_id) for _, e, u in rows
    ]


def check_rules(
    ctx: AppContext,
    rows: Sequence[tuple[int, CatalogEntry, PriceUpdate]],
    found: Sequence[ProductPrice | None],
    source: str,
) -> None:
    """Stop (exit 2, every problem listed) when a row that changes something breaks one
    of Ozon's rules, or names an offer id Ozon does not have."""
    from ozonctl.sellerfiles import Problems

    problems = Problems(source)
    for (n, e, u), p in zip(rows, found, strict=True):
        where: int | str = n if source else e.offer_id
        if p is None and u.offer_id:
            problems.add(where, f"Ozon has no product with offer id {u.offer_id}")
        elif not unchanged(u, p.price if p else None):
            for text in rule_problems(u, p.price if p else None):
                problems.add(where, text)
    problems.stop(ctx.output.error)


def send_prices(
    ctx: AppContext,
    client: OzonClient,
    rows: Sequence[tuple[int, CatalogEntry, PriceUpdate]],
    max_cut: Decimal,
    *,
    source: str,
    kind: str = "import",
) -> None:
    """Check ``rows`` (line, product, update) against Ozon's rules on the products'
    current prices, then send those that change something (or print the plan).

    Under the state lock, with a journal (:mod:`._imports`): a rerun of a killed run's
    rows finds what it applied among the current prices and sends only the rest."""
    from contextlib import nullcontext

    from ozonctl.cli.output import Column
    from ozonctl.client import endpoints
    from ozonctl.commands.listing._common import (
        emit_outcomes,
        plan_outcomes,
        run_outcomes,
        write_columns,
    )
    from ozonctl.commands.listing._imports import begin, settle_unknown

    with nullcontext() if ctx.dry_run else ctx.lock(f"listing price {kind}"):
        found = current_prices(client, rows)
        check_rules(ctx, rows, found, source)
        pairs = [(e, u) for _, e, u in rows]
        current = [p.price if p else None for p in found]
        extra = [
            {
                "current": money_or_none(c.price if c else None),
                "price": money_or_none(u.price),
                "old_price": money_or_none(u.old_price),
                "min_price": money_or_none(u.min_price),
            }
            for (_, u), c in zip(pairs, current, strict=True)
        ]
        places = [i for i, (_, u) in enumerate(pairs) if not unchanged(u, current[i])]
        todo = [pairs[i] for i in places]
        now = {
            e.product_id: c.price if c else None for (e, _), c in zip(pairs, current, strict=True)
        }
        cuts = deep_cuts(todo, now, max_cut)
        for entry, was, new, cut in cuts:
            ctx.output.warn(f"{entry.offer_id}: {was} → {new} is {cut}% lower")
        columns = write_columns(
            Column("product_id", "Product ID", justify="right"),
            Column("current", "Current", justify="right"),
            Column("price", "New price", justify="right"),
        )
        entries = [e for e, _ in pairs]
        if ctx.dry_run:
            plan = plan_outcomes(entries, extra, set(places))
            emit_outcomes(ctx, plan, verb="dry run, nothing sent", columns=columns)
            return
        if cuts:
            ctx.confirm(f"{len(cuts)} prices fall by more than {max_cut}%; set them?")
        elif todo:
            ctx.confirm(f"Set {len(todo)} prices?")
        run = begin(
            ctx, f"price-{kind}", [u.body() for _, u in pairs], writes="product.prices.update"
        )
        batch = endpoints.get("product.prices.update").max_items or 1000
        result = client.products.set_prices(
            [u for _, u in todo], before_batch=run.planner(places, batch)
        )
        sent = price_notes(todo, found, result)

        def landed(idx: list[int]) -> list[bool]:
            picked = [rows[places[i]] for i in idx]
            now = current_prices(client, picked)
            return [
                unchanged(u, p.price if p else None)
                for (_, _, u), p in zip(picked, now, strict=True)
            ]

        settle_unknown([u for _, u in todo], result, sent, landed, "`ozonctl listing price show`")
        outcomes = run_outcomes(entries, dict(zip(places, sent, strict=True)), extra)
        run.finish(outcomes)
    if run.resumed is not None:
        ctx.output.info(
            f"resumed interrupted run {run.resumed.ref}: {len(pairs) - len(todo)} of its "
            "prices are already set, not sent again"
        )
    emit_outcomes(ctx, outcomes, verb="price", columns=columns, ref=run.op.ref)


def money_or_none(value: Decimal | None) -> str | None:
    """Money as shown (two decimals), None when there is none."""
    from ozonctl.sellerfiles import money_text

    return None if value is None else money_text(value)


def price_notes(
    todo: Sequence[tuple[CatalogEntry, PriceUpdate]],
    found: Sequence[ProductPrice | None],
    result: Any,
) -> list[tuple[str, str]]:
    """``(result, note)`` of each sent update from Ozon's answer, matched by offer id
    for updates sent so; a note when Ozon's product for the offer id is not the one the
    local index had."""
    from ozonctl.commands.listing._common import item_notes

    by_pid = item_notes(result, lambda r: r.product_id)
    by_offer = item_notes(result, lambda r: r.offer_id)
    ozon_pid = {p.offer_id: p.product_id for p in found if p is not None}
    no_answer = ("failed", "no answer for it")
    out = []
    for e, u in todo:
        note = (
            by_offer.get(u.offer_id, no_answer)
            if u.offer_id
            else by_pid.get(e.product_id, no_answer)
        )
        pid = ozon_pid.get(u.offer_id or "")
        if u.offer_id and pid is not None and pid != e.product_id and note[0] != "failed":
            note = (note[0], f"the local index was out of date: {u.offer_id} is {pid} on Ozon")
        out.append(note)
    return out
