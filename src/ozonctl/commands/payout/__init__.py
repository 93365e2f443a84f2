"""``ozonctl payout``: what Ozon accrued, for what, and what it kept.

One module per subcommand: ``transactions``, ``totals``, ``report``, ``cashflow``,
``balance``, ``summary``. The work is ``ozonctl.domain.ledger`` (accruals as lines,
kinds, exact totals, the concurrent day-by-day walk). Shared here: ``_walk`` (the note
about ``other`` types), ``_dates`` (periods), ``_render`` (summary).
"""

from __future__ import annotations

import typer

from ozonctl.commands.payout.balance import balance
from ozonctl.commands.payout.cashflow import cashflow
from ozonctl.commands.payout.report import report
from ozonctl.commands.payout.summary import summary
from ozonctl.commands.payout.totals import totals
from ozonctl.commands.payout.transactions import transactions

app = typer.Typer(
    help="Transactions, totals, reports, cash flow and balance — exact to the kopeck.",
    no_args_is_help=True,
)
app.command("transactions")(transactions)
app.command("totals")(totals)
app.command("report")(report)
app.command("cashflow")(cashflow)
app.command("balance")(balance)
app.command("summary")(summary)
