"""``--warehouse NAME|ID``: the one option of every command that asks for a warehouse,
and its resolution through the shop's warehouse list (``ozonctl.domain.warehouses``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.domain.warehouses import Warehouses

WAREHOUSE_HELP = (
    'Warehouse: its name (any case, or a unique start of it: "Склад Москва") or its id; '
    "`order warehouses` lists them."
)

WarehouseOption = Annotated[
    str | None,
    typer.Option("--warehouse", "-w", metavar="NAME|ID", help=WAREHOUSE_HELP),
]


def shop_warehouses(ctx: AppContext) -> Warehouses:
    """The profile's warehouse list (the day's cache, else Ozon's answer)."""
    from ozonctl.domain.warehouses import Warehouses

    return Warehouses(ctx.cache_dir(), ctx.client)


def warehouse_id(ctx: AppContext, text: str | None) -> int | None:
    """The id of the warehouse ``--warehouse`` names (None when not given); an unknown
    or ambiguous one is exit 2 naming the shop's warehouses."""
    if text is None:
        return None
    return shop_warehouses(ctx).resolve(text).id
