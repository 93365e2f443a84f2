"""``ozonctl listing``: the catalogue, stock and prices, and the stale-SKU delister.

One module per subcommand or subgroup; this package registers them on ``app``, as every
group does (the modules do not import the package, so there is no import cycle).
Modules import only typer and light helpers at the top (``ozonctl --help`` stays fast).
"""

from __future__ import annotations

import typer

from ozonctl.commands.listing.archive import archive, delete, restore, unarchive
from ozonctl.commands.listing.browse import list_, show
from ozonctl.commands.listing.cover import cover
from ozonctl.commands.listing.history import history
from ozonctl.commands.listing.margin import margin
from ozonctl.commands.listing.price import price_app
from ozonctl.commands.listing.stale import delist_stale, stale
from ozonctl.commands.listing.stock import stock_app

app = typer.Typer(
    help="The catalogue: list, archive, stock, prices, margins, stale SKUs.", no_args_is_help=True
)
app.command("archive")(archive)
app.command("unarchive")(unarchive)
app.command("delete")(delete)
app.command("restore")(restore)
app.command("list")(list_)
app.command("show")(show)
app.command("history")(history)
app.add_typer(price_app, name="price")
app.command("margin")(margin)
app.command("stale")(stale)
app.command("delist-stale")(delist_stale)
stock_app.command("cover")(cover)
app.add_typer(stock_app, name="stock")
