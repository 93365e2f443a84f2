"""The JSON schemas of the order commands added for rFBS and warehouses (issue 22):
warehouses, return giveouts and rFBS delivery outcomes. ``cli/schemas.py`` lists them in
``ENTITIES`` with the others (one module would pass the size limit)."""

from __future__ import annotations

from ozonctl.cli.schema import Field, Schema

F = Field

WAREHOUSE = Schema(
    "warehouse",
    (
        F("warehouse_id", "id", "The warehouse's id (what Ozon's methods take)."),
        F("name", "text", "Its name (what `--warehouse` takes, or a unique start of it)."),
        F("scheme", "string", "`FBS` (Ozon delivers) or `rFBS` (the seller delivers)."),
        F("status", "string", "Ozon's status: `created`, `disabled`, `blocked`, …"),
    ),
    doc="One of the shop's FBS/rFBS warehouses.",
    commands=("order warehouses",),
)
