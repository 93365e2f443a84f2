"""``order giveouts``: FBS/FBO returns waiting at Ozon's warehouses, collected with one
barcode (``/v1/return/giveout/*``): the list, one giveout with its products, and the
barcode as text, PDF or PNG. Reads only: nothing in the shop changes.

Ozon's ``barcode-reset`` (a new barcode; the old one stops working) is left to the seller
account on purpose: a script must not invalidate the code a courier carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.giveouts import Giveout, GiveoutInfo

PREFIX = "GIVEOUT_STATUS_"

app = typer.Typer(
    help="Returns to collect at Ozon's warehouses (giveouts): list, show, barcode.",
    invoke_without_command=True,
)


def columns() -> list[Any]:
    from ozonctl.cli.output import Column

    return [
        Column("giveout_id", "ID", justify="right"),
        Column("status", "Status"),
        Column("created", "Created"),
        Column("warehouse_name", "Warehouse"),
        Column("approved_articles", "Approved", justify="right"),
        Column("total_articles", "Products", justify="right"),
        Column("warehouse_address", "Address"),
    ]


def row(g: Giveout) -> dict[str, Any]:
    return {
        "giveout_id": g.giveout_id,
        "status": g.giveout_status.removeprefix(PREFIX),
        "created": g.created_at,
        "warehouse_id": g.warehouse_id,
        "warehouse_name": g.warehouse_name,
        "warehouse_address": g.warehouse_address,
        "approved_articles": g.approved_articles_count,
        "total_articles": g.total_articles_count,
        "articles": None,
    }


@app.callback()
def giveouts(typer_ctx: typer.Context) -> None:
    """Return giveouts: the returns waiting for you at Ozon's warehouses, by status."""
    if typer_ctx.invoked_subcommand is not None:
        return
    from ozonctl.cli.schemas import GIVEOUT

    ctx = app_context()
    rows = (row(g) for g in ctx.client().postings.giveouts())
    ctx.output.rows(columns(), rows, empty="no return giveouts", schema=GIVEOUT)


def info_row(g: GiveoutInfo) -> dict[str, Any]:
    articles = [
        {
            "name": a.name,
            "schema": a.delivery_schema.rsplit("_", 1)[-1],
            "approved": a.approved,
        }
        for a in g.articles
    ]
    approved = sum(a.approved for a in g.articles)
    return {**row(g), "approved_articles": approved, "total_articles": len(articles),
            "articles": articles}  # fmt: skip


@app.command("show")
def show(
    giveout_id: Annotated[int, typer.Argument(metavar="ID", help="The giveout's ID.")],
) -> None:
    """One giveout: its status, Ozon's warehouse and the products to collect."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.schemas import GIVEOUT

    ctx = app_context()
    data = info_row(ctx.client().postings.giveout(giveout_id))

    def human() -> None:
        ctx.output.rows(columns(), [data])
        products = [Column("name", "Product"), Column("schema", "Schema"),
                    Column("approved", "Approved")]  # fmt: skip
        ctx.output.rows(products, data["articles"], empty="no products listed")

    ctx.output.document(data, human=human, schema=GIVEOUT)


@app.command("barcode")
def barcode(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="Write the barcode to FILE: .pdf or .png."
        ),
    ] = None,
) -> None:
    """The barcode that collects your giveouts at Ozon's warehouses: its value, or with
    --out the file to print or show on a phone (PDF or PNG, by the file's suffix)."""
    ctx = app_context()
    client = ctx.client().postings
    if not client.giveout_enabled():
        raise OzonctlError(
            "Ozon does not let this shop collect returns by barcode",
            hint="ask Ozon's support to enable return giveouts for your account",
        )
    if out is None:
        code = client.giveout_barcode()

        def human() -> None:
            ctx.output.stdout.write(code + "\n")

        ctx.output.document({"barcode": code}, human=human)
        return
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "png"):
        raise UsageError(f"--out {out}: name a .pdf or .png file")
    from ozonctl.state.files import atomic_write_bytes

    try:
        content = client.giveout_file(kind).content()
    except ValueError:
        raise OzonctlError(
            "Ozon's answer holds no PDF or PNG file; nothing written", hint="try again later"
        ) from None
    atomic_write_bytes(out, content)
    ctx.output.document(
        {"file": str(out), "bytes": len(content), "type": kind},
        human=lambda: ctx.output.success(f"wrote {out} ({len(content)} bytes)"),
    )
