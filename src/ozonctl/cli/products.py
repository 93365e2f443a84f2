"""``--product PRODUCT``: one option for the commands that take products beside their own
id options; each value is an offer id, SKU or product id, resolved by
:mod:`ozonctl.catalog.resolve`. ``--product``/``--sku`` of the filters that Ozon takes
by SKU (``review list``, ``question list``, ``analytics sales``) and
:func:`product_skus`, which turns their names into the SKUs sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.commas import commas

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext

ProductOption = Annotated[
    list[str] | None,
    typer.Option(
        "--product",
        metavar="PRODUCT",
        help="A product by offer id, SKU or product id (offer:/sku:/id: to say which; "
        "repeat, or comma-separated).",
        **commas(),
    ),
]

ProductFilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--product",
        "--sku",
        metavar="PRODUCT",
        help="Only these products, by offer id, SKU or product id (offer:/sku:/id: to say "
        "which; repeat, or comma-separated). --sku is the same option.",
        **commas(),
    ),
]
"""A filter Ozon applies by SKU, naming products any way (``--sku`` is its older name,
which took SKUs only: a SKU still works, with no request when the index knows it)."""


def product_skus(ctx: AppContext, tokens: Sequence[str]) -> list[int]:
    """The SKUs of the products ``tokens`` name, in order, for a filter Ozon applies by
    SKU. Each token goes through the product resolver (the catalogue index first, no
    request; one batched ``/v3/product/info/list`` for the rest), but for two that stay
    SKUs as ``--sku`` always took them: ``sku:N`` (no lookup) and a bare number no
    product has (a product deleted since keeps its reviews and sales). An unknown or
    ambiguous name, or a product with no SKU yet, is exit 2."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.resolve import parse, resolve, unknown_error
    from ozonctl.errors import UsageError

    refs = [parse(t) for t in tokens]
    named = [r.token for r in refs if r.kind != "sku"]
    found: dict[str, int] = {}
    if named:
        got = resolve(named, CatalogIndex.load(ctx.catalog_dir()), ctx.client())
        unknown = [t for t in got.unknown if not t.isdigit()]
        if unknown:
            raise unknown_error(unknown)
        none = [e.offer_id for e in got.found if not e.sku]
        if none:
            raise UsageError(
                f"no SKU yet: {', '.join(none)}",
                hint="Ozon gives a product its SKU once it is created: it has no sales, "
                "reviews or questions yet",
            )
        found = {t: e.sku for t, e in zip(got.tokens, got.entries, strict=True) if e}
    return list(dict.fromkeys(found.get(r.token) or int(r.value) for r in refs))
