"""``listing list`` and ``listing show``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.commas import commas
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.concurrency import ordered_map, pipeline, quick_handover
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import ProductInfo, ProductListItem

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
        Column("present", "FBS stock", justify="right"),
    ]


def listing_rows(
    items: Sequence[ProductListItem], cards: Iterable[ProductInfo]
) -> list[dict[str, Any]]:
    """A page of products as rows: ``items`` from the list, ``cards`` their details
    (a product without a card gets what the list knows). The creation and change times
    stay Ozon's moments (aware datetimes): the output writes them in their schema's form
    (ISO 8601 with the offset), without a text to parse back first."""
    found = {c.id: c for c in cards}
    rows: list[dict[str, Any]] = []
    for item in items:
        card = found.get(item.product_id)
        rows.append(
            {
                "offer_id": item.offer_id,
                "product_id": item.product_id,
                "sku": (card.sku if card else 0) or None,  # only the card carries a SKU
                "name": card.name if card else "",
                "state": card.state if card else ("archived" if item.archived else ""),
                "archived": card.is_archived if card else item.archived,
                "autoarchived": card.is_autoarchived if card else None,
                "price": card.price if card else None,
                "old_price": card.old_price if card else None,
                "min_price": card.min_price if card else None,
                "currency": card.currency_code if card else "",
                "present": card.fbs_present if card else None,
                "free_stock": card.fbs_free if card else None,
                "created": card.created_at if card else None,
                "updated": card.updated_at if card else None,
            }
        )
    return rows


DETAILS_AT_ONCE = 3
"""List pages whose details (/v3/product/info/list, 1000 cards) are read at once. One
such answer takes a round trip plus the time to build and read 2 MB, longer than a list
page's round trip: read one at a time, the details, not the list walk, set the pace."""


def row_pages(
    client: OzonClient,
    *,
    visibility: str,
    offer_ids: Sequence[str],
    cap: int | None,
    ahead: int = 2,
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``listing list``, a page of up to 1000 at a time, pipelined: the list
    pages are walked in a thread of their own (each needs the previous page's
    ``last_id``: that chain is the floor), while the details of up to ``DETAILS_AT_ONCE``
    listed pages are read side by side and the caller writes the rows in order. At most
    ``ahead`` list pages wait beyond those, so memory stays bounded; with ``cap`` no page
    beyond it is asked for, without it each list page is asked for before the one
    before it is read (``read_ahead``). While the rows come, threads hand the interpreter over
    sooner (``quick_handover``): the walk's thread then waits less behind the parsing
    and writing at each step of the chain."""
    page_size = min(cap, 1000) if cap else None

    def listed() -> Iterator[list[ProductListItem]]:
        left = cap
        for page in client.products.list_pages(
            visibility=visibility, offer_ids=offer_ids, limit=page_size, read_ahead=cap is None
        ):
            if left is not None:
                page = page[:left]
                left -= len(page)
            yield page
            if left is not None and left <= 0:
                return

    def with_cards(page: list[ProductListItem]) -> list[dict[str, Any]]:
        ids = [p.product_id for p in page]
        # The rows carry only the card's named fields: its other fields are not built.
        return listing_rows(page, client.products.info(product_ids=ids, unknown_fields=False))

    with quick_handover():
        walked = pipeline(listed(), lambda page: page, ahead=ahead)
        yield from ordered_map(with_cards, walked, workers=DETAILS_AT_ONCE, window=DETAILS_AT_ONCE)


def list_(
    visibility: Annotated[
        str,
        typer.Option(
            "--visibility",
            callback=one_of(*VISIBILITIES),
            help="Ozon's filter: ALL (everything but archived), ARCHIVED, VISIBLE, "
            "INVISIBLE, EMPTY_STOCK, IN_SALE, AUTO_ARCHIVED, …",
        ),
    ] = "ALL",
    offer: Annotated[
        list[str] | None,
        typer.Option("--offer", help="Only this offer id (repeat or comma-separate).", **commas()),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help=f"At most N rows (default {DEFAULT_LIMIT})."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every product (streams).")] = False,
    from_file: FromFileOption = None,
) -> None:
    """Products: offer id, product id, SKU, name, state, price, FBS stock.

    Reads /v3/product/list a page of 1000 at a time and the details of each page
    (/v3/product/info/list), writing rows as they come: 100,000 products stream."""
    vis = visibility
    if all_ and limit:
        raise UsageError("--limit and --all exclude each other")
    cap = None if all_ else (limit or DEFAULT_LIMIT)
    ctx = app_context()
    pages = row_pages(ctx.client(), visibility=vis, offer_ids=ids_from(offer, from_file), cap=cap)
    from ozonctl.cli.schemas import PRODUCT

    written = ctx.output.page_rows(list_columns(), pages, empty="no products", schema=PRODUCT)
    if cap is not None and written >= cap and ctx.output.stderr_tty:
        ctx.output.info(f"showing the first {written}; use --all or --limit N for more")


def show(
    product: Annotated[str, typer.Argument(help="Offer id, SKU or product id.")],
) -> None:
    """One product: ids, name, state, prices, stock per warehouse."""
    from ozonctl.client.models.products import money
    from ozonctl.commands.listing._common import require_known, resolved

    ctx = app_context()
    client = ctx.client()
    got, _ = resolved(ctx, client, [product])
    require_known(ctx, got.unknown)
    entry = got.found[0]
    info = got.cards.get(entry.product_id) or next(
        iter(client.products.info(product_ids=[entry.product_id])), None
    )
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
        "present": info.fbs_present,
        "free_stock": info.fbs_free,
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
        out.write(f"present\t{info.fbs_present}\n")
        out.write(f"free_stock\t{info.fbs_free}\n")
        for w in warehouses:
            out.write(
                f"warehouse\t{w['warehouse_id']}\t{w['warehouse_name']}\t"
                f"present {w['present']}\treserved {w['reserved']}\n"
            )
        out.flush()

    from ozonctl.cli.schemas import PRODUCT

    ctx.output.document(data, human=human, schema=PRODUCT)
