"""What the accrual commands share: the type catalogue, the day-by-day walk as ledger
lines in date order (with progress on a terminal), and the note about ``other`` types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ozonctl.commands.payout.ledger import Line, Totals, TypeCatalog, day_lines

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.client.client import OzonClient


def load_catalog(client: OzonClient) -> TypeCatalog:
    """Ozon's accrual type catalogue (one call)."""
    return TypeCatalog(client.finance.accrual_types())


def walk_days(
    client: OzonClient,
    catalog: TypeCatalog,
    start: dt.date,
    end: dt.date,
    *,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[list[Line]]:
    """The ledger lines of each day of ``start..end``, a list a day, in date order. Days
    are read concurrently (the client's ``concurrency``) under its shared rate limiter,
    and each day's lines are made on the thread that read it; ``on_day(1)`` is called
    as each day is handed over."""
    from ozonctl.client.resources.finance import days_between, ordered_map

    finance = client.finance

    def read(day: dt.date) -> list[Line]:
        return day_lines(finance.accruals_of_day(day).accruals, catalog, day)

    for lines in ordered_map(read, days_between(start, end), workers=client.concurrency):
        yield lines
        if on_day is not None:
            on_day(1)


def walk_lines(
    client: OzonClient,
    catalog: TypeCatalog,
    start: dt.date,
    end: dt.date,
    *,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[Line]:
    """Every ledger line of ``start..end`` in date order (``walk_days``, one by one)."""
    for lines in walk_days(client, catalog, start, end, on_day=on_day):
        yield from lines


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
