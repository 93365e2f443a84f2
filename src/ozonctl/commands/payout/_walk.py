"""What the accrual commands share: the type catalogue, the day-by-day walk as ledger
lines in date order (with progress on a terminal), and the note about ``other`` types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ozonctl.commands.payout.ledger import Line, Totals, TypeCatalog, accrual_lines

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.client.client import OzonClient


def load_catalog(client: OzonClient) -> TypeCatalog:
    """Ozon's accrual type catalogue (one call)."""
    return TypeCatalog(client.finance.accrual_types())


def walk_lines(
    client: OzonClient,
    catalog: TypeCatalog,
    start: dt.date,
    end: dt.date,
    *,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[Line]:
    """Every ledger line of ``start..end`` in date order. Days are read concurrently
    (the client's ``concurrency``) under its shared rate limiter; ``on_day(1)`` is
    called as each day is done."""
    for day in client.finance.accruals_by_day(start, end):
        for acc in day.accruals:
            yield from accrual_lines(acc, catalog, day.day)
        if on_day is not None:
            on_day(1)


def note_other_types(output: Output, totals: Totals) -> None:
    """List on stderr the types that went to ``other`` (never silently dropped)."""
    others = totals.other_types()
    if not others:
        return
    listed = "; ".join(
        f"{o.name}"
        + (f" [id {o.type_id}]" if o.type_id is not None else "")
        + f": {o.amount} {o.currency} in {o.lines} line{'' if o.lines == 1 else 's'}"
        for o in others
    )
    output.warn(f"{len(others)} accrual type(s) not mapped to a kind, counted as other: {listed}")
