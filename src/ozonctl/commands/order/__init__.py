"""``ozonctl order``: FBS/rFBS postings from list to ship, labels, tracking numbers,
returns, the seller rating, and cancellations that guard the shop's cancellation rate.

One module per subcommand group; each imports the client only inside its commands.
"""

from __future__ import annotations

import typer

from ozonctl.commands.order import (
    acts,
    at_risk,
    cancel,
    cancel_requests,
    deliver,
    giveouts,
    history,
    label,
    listing,
    penalties,
    rating,
    returns,
    rfbs_returns,
    ship,
    track,
    warehouses,
)

app = typer.Typer(
    help="FBS/rFBS postings: list, ship, labels, tracking, cancel, returns, rating.",
    no_args_is_help=True,
)

app.command("list")(listing.list_)
app.command("show")(listing.show)
app.command("ship")(ship.ship)
app.command("label")(label.label)
app.command("track")(track.track)
app.command("deliver")(deliver.deliver)
app.command("last-mile")(deliver.last_mile)
app.command("delivered")(deliver.delivered)
app.command("cancel-reasons")(cancel.cancel_reasons)
app.command("cancel")(cancel.cancel)
app.command("at-risk")(at_risk.at_risk)
app.add_typer(cancel_requests.app, name="cancel-requests")
app.command("returns")(returns.returns)
app.add_typer(rfbs_returns.app, name="rfbs-returns")
app.add_typer(giveouts.app, name="giveouts")
app.command("rating")(rating.rating)
app.command("penalties")(penalties.penalties)
app.command("history")(history.history)
app.add_typer(acts.app, name="act")
app.command("warehouses")(warehouses.warehouses)
