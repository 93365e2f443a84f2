"""``ozonctl promo``: Ozon promotions — what each costs, join, leave safely, undo a leave,
see what leaving did; the seller's own promotions; buyers' discount requests.

One module per subcommand or small group; this file only wires them up, and every module
imports nothing heavy at the top, so ``ozonctl promo --help`` stays fast.
"""

from __future__ import annotations

import typer

from ozonctl.commands.promo import (
    audit,
    autoadd,
    guard,
    impact,
    join,
    leave,
    listing,
    own,
    products,
    rejoin,
    requests,
    seller,
)

app = typer.Typer(
    help="Promotions: what each costs, join, leave, undo a leave.",
    no_args_is_help=True,
)

app.command("list")(listing.list_)
app.command("show")(listing.show)
app.command("products")(products.products)
app.command("candidates")(products.candidates)
app.command("join")(join.join)
app.command("leave")(leave.leave)
app.command("rejoin")(rejoin.rejoin)
app.command("history")(rejoin.history)
app.command("impact")(impact.impact)
app.command("pause")(seller.pause)
app.command("resume")(seller.resume)
app.command("create")(own.create)
app.command("update")(own.update)
app.command("archive")(own.archive)
app.command("codes")(own.codes)
app.add_typer(requests.app, name="requests")
app.add_typer(autoadd.app, name="auto-add")
app.command("guard")(guard.guard)
app.command("audit")(audit.audit)
