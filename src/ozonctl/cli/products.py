"""``--product PRODUCT``: one option for the commands that take products beside their own
id options; each value is an offer id, SKU or product id, resolved by
:mod:`ozonctl.catalog.resolve`."""

from __future__ import annotations

from typing import Annotated

import typer

from ozonctl.cli.commas import commas

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
