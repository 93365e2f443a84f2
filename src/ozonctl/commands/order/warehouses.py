"""``order warehouses``: the shop's FBS and rFBS warehouses, by id and name: what every
``--warehouse`` option takes (``/v2/warehouse/list``)."""

from __future__ import annotations

from typing import Annotated

import typer

from ozonctl.cli.context import app_context


def warehouses(
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask Ozon now, not the day's cached list.")
    ] = False,
) -> None:
    """The shop's warehouses: id, name, scheme (FBS or rFBS), status.

    The list is kept a day in ozonctl's cache; a name given to --warehouse that the
    cached list does not know is looked up at Ozon once more."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.schemas import WAREHOUSE
    from ozonctl.commands._warehouses import shop_warehouses

    ctx = app_context()
    found = shop_warehouses(ctx).all(refresh=refresh)
    rows = (
        {"warehouse_id": w.id, "name": w.name, "scheme": w.scheme, "status": w.status}
        for w in found
    )
    columns = [
        Column("warehouse_id", "Warehouse ID", justify="right"),
        Column("name", "Name"),
        Column("scheme", "Scheme"),
        Column("status", "Status"),
    ]
    ctx.output.rows(columns, rows, empty="no FBS/rFBS warehouses in this shop", schema=WAREHOUSE)
