"""The work behind the commands, without the CLI: each module takes a client, settings
and paths, never the command's context (``ozonctl.cli``), so it can be read, tested and
reused without option parsing or output. Commands parse, call these and render.

- ``ledger``: accruals as ledger lines, their kinds, exact totals, and the day-by-day
  walk of the payout commands.
- ``cancel_guard``: the shop's cancellation figures and the threshold a cancel is
  checked against.
"""
