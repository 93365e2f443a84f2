"""``listing list`` and ``listing show``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.listing import app
from ozonctl.errors import UsageError

VISIBILITIES = (
    "ALL", "VISIBLE", "INVISIBLE", "EMPTY_STOCK", "NOT_MODERATED", "MODERATED", "DISABLED",
    "STATE_FAILED", "READY_TO_SUPPLY", "VALIDATION_STATE_PENDING", "VALIDATION_STATE_FAIL",
    "VALIDATION_STATE_SUCCESS", "TO_SUPPLY", "IN_SALE", "REMOVED_FROM_SALE", "OVERPRICED",
    "CRITICALLY_OVERPRICED", "EMPTY_BARCODE", "BARCODE_EXISTS", "QUARANTINE", "ARCHIVED",
    "OVERPRICED_WITH_STOCK", "PARTIAL_APPROVED", "AUTO_ARCHIVED", "MANUAL_ARCHIVED",
    "SEASONAL_AUTO_ARCHIVED", "VISIBLE_WITH_FBO_STOCK",
)  # fmt: skip
DEFAULT_LIMIT = 100


def list_columns() -> list[Any]:
    from ozonctl.cli.output import Column
    from ozonctl.client.models.products import money

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("sku", "SKU", justify="right"),
        Column("name", "Name", max_width=40),
        Column("state", "State"),
        Column("price", "Price", justify="right", fmt=money),
        Column("fbs_stock", "FBS stock", justify="right"),
    ]


def product_row(item: Any, info: Any) -> dict[str, Any]:
    """One product as a row: ``item`` from the list, ``info`` its details (or None)."""
    return {
        "offer_id": item.offer_id,
        "product_id": item.product_id,
        "sku": (info.sku if info else 0) or item.sku or None,
        "name": info.name if info else "",
        "state": info.state if info else ("archived" if item.archived else ""),
        "archived": info.is_archived if info else item.archived,
        "price": info.price if info else None,
        "old_price": info.old_price if info else None,
        "min_price": info.min_price if info else None,
        "currency": info.currency_code if info else "",
        "fbs_stock": info.fbs_present if info else None,
        "fbs_free": info.fbs_free if info else None,
        "created": info.created_at if info else None,
    }


@app.command("list")
def list_(
    visibility: Annotated[
        str,
        typer.Option(
            "--visibility",
            help="Ozon's filter: ALL (everything but archived), ARCHIVED, VISIBLE, "
            "INVISIBLE, EMPTY_STOCK, IN_SALE, AUTO_ARCHIVED, …",
        ),
    ] = "ALL",
    offer: Annotated[
        list[str] | None, typer.Option("--offer", help="Only this offer id (repeatable).")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help=f"At most N rows (default {DEFAULT_LIMIT})."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every product (streams).")] = False,
) -> None:
    """Products: offer id, product id, SKU, name, state, price, FBS stock.

    Reads /v3/product/list a page of 1000 at a time and the details of each page
    (/v3/product/info/list), writing rows as they come: 100,000 products stream."""
    vis = visibility.upper()
    if vis not in VISIBILITIES:
        raise UsageError(f"unknown --visibility {visibility!r}", hint="see --help")
    if all_ and limit:
        raise UsageError("--limit and --all exclude each other")
    cap = None if all_ else (limit or DEFAULT_LIMIT)
    ctx = app_context()
    client = ctx.client()

    def rows() -> Iterator[dict[str, Any]]:
        left = cap
        page_size = min(cap, 1000) if cap else None
        for page in client.products.list_pages(
            visibility=vis, offer_ids=offer or (), limit=page_size
        ):
            items = page if left is None else page[:left]
            details = {
                i.id: i for i in client.products.info(product_ids=[p.product_id for p in items])
            }
            for item in items:
                yield product_row(item, details.get(item.product_id))
            if left is not None:
                left -= len(items)
                if left <= 0:
                    return

    written = ctx.output.rows(list_columns(), rows(), empty="no products")
    if cap is not None and written >= cap and ctx.output.stderr_tty:
        ctx.output.info(f"showing the first {written}; use --all or --limit N for more")


@app.command("show")
def show(
    product: Annotated[str, typer.Argument(help="Offer id, SKU or product id.")],
) -> None:
    """One product: ids, name, state, prices, stock per warehouse."""
    from ozonctl.client.models.products import money
    from ozonctl.commands.listing._common import known_products

    ctx = app_context()
    client = ctx.client()
    found = known_products(ctx, client, [product])
    entry = found[0]
    info = next(iter(client.products.info(product_ids=[entry.product_id])), None)
    if info is None:
        raise UsageError(f"Ozon does not know product {product!r} any more; run `ozonctl sync`")
    warehouses = (
        [w.model_dump(mode="json") for w in client.products.stocks_by_warehouse(skus=[info.sku])]
        if info.sku
        else []
    )
    data = {
        "offer_id": info.offer_id,
        "product_id": info.id,
        "sku": info.sku or None,
        "name": info.name,
        "state": info.state,
        "archived": info.is_archived,
        "autoarchived": info.is_autoarchived,
        "price": info.price,
        "old_price": info.old_price,
        "min_price": info.min_price,
        "currency": info.currency_code,
        "fbs_stock": info.fbs_present,
        "created": info.created_at,
        "updated": info.updated_at,
        "warehouses": warehouses,
    }

    def human() -> None:
        out = ctx.output.stdout
        for key in ("offer_id", "product_id", "sku", "name", "state", "currency", "created"):
            value = data[key]
            out.write(f"{key}\t{'' if value is None else value}\n")
        for key, value in (
            ("price", info.price),
            ("old_price", info.old_price),
            ("min_price", info.min_price),
        ):
            out.write(f"{key}\t{money(value)}\n")
        out.write(f"fbs_stock\t{info.fbs_present}\n")
        for w in warehouses:
            out.write(
                f"warehouse\t{w['warehouse_id']}\t{w['warehouse_name']}\t"
                f"present {w['present']}\treserved {w['reserved']}\n"
            )
        out.flush()

    ctx.output.document(data, human=human)
