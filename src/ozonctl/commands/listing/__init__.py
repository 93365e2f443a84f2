"""``ozonctl listing``: the catalogue, stock and prices, and the stale-SKU delister.

One module per subcommand group; each registers its commands on ``app`` when imported.
Modules import only typer and light helpers at the top (``ozonctl --help`` stays fast).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The catalogue: list, archive, stock, prices, stale SKUs.", no_args_is_help=True
)

from ozonctl.commands.listing import archive, browse, history, price, stale, stock  # noqa: E402, F401
