"""``ozonctl sync``: refresh the local catalogue index and sales history.

Listing commands refresh what they need when it is stale; ``sync`` does it now (a cron
job may run it before the working day). Holds the state lock while it writes."""

from __future__ import annotations

from typing import Annotated

import typer

from ozonctl.cli.context import app_context

app = typer.Typer(help="Refresh the local catalogue index and sales history.")


@app.command()
def sync(
    full: Annotated[
        bool,
        typer.Option("--full", help="Re-read every product's details and every posting."),
    ] = False,
    days: Annotated[
        int, typer.Option("--days", min=1, max=365, help="Days of sales history to keep.")
    ] = 90,
) -> None:
    """Refresh the catalogue index (offer id ↔ product id ↔ SKU) and the sales history.

    Incremental by default: only new products' details and only postings changed since
    the last refresh are read."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.sales import SalesHistory

    ctx = app_context()
    with ctx.lock("sync"):
        client = ctx.client()
        before = client.stats["requests"]
        index = CatalogIndex.refresh(ctx.catalog_dir(), client, full=full)
        sales = SalesHistory.refresh(ctx.catalog_dir(), client, days, full=full)
        requests = client.stats["requests"] - before
    data = {
        "products": len(index),
        "archived": sum(index.archived),
        "sale_lines": len(sales.lines),
        "skus_sold": len(list(sales.skus())),
        "sales_since": sales.since,
        "refreshed": index.refreshed,
        "requests": requests,
        "index_file": str(index.path),
        "sales_file": str(sales.path),
    }

    def human() -> None:
        ctx.output.stdout.write(
            f"{data['products']} products ({data['archived']} archived), "
            f"{data['sale_lines']} sale lines of {data['skus_sold']} SKUs since "
            f"{data['sales_since']}; {requests} requests\n"
        )

    ctx.output.document(data, human=human)
