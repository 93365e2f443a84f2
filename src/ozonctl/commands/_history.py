"""What the ``history`` commands share (``promo history``, ``listing history``, ``order
history``): one area's journal, newest first, one row per operation.

A journal still ``running`` (or ``sending``) while no run holds the state lock belongs
to a run that was killed: it is shown as ``interrupted`` (a write whose request may have
gone out, ``sending``, as ``unknown``), as ``doctor`` reports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ozonctl.errors import LockHeldError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.cli.output import Column
    from ozonctl.state.journal import Operation

ABANDONED = {"running": "interrupted", "sending": "unknown"}
"""The status a killed run's journal is shown with."""


def show_history(
    ctx: AppContext,
    area: str,
    ops: Iterable[Operation],
    columns: Sequence[Column],
    row: Callable[[Operation], dict[str, Any]],
    *,
    empty: str,
    bounds: tuple[dt.datetime | None, dt.datetime | None] = (None, None),
) -> None:
    """Print ``ops`` (oldest first, as a journal lists them) newest first, each as
    ``row(op)`` with its status as the outcome; only those created within ``bounds``
    (``--from``/``--to``/``--month``, see ``cli.period``)."""
    from ozonctl.cli.period import within

    newest_first = [op for op in ops if within(created(op), bounds)][::-1]
    lock_free = False
    with contextlib.suppress(LockHeldError), ctx.lock(f"{area} history"):
        lock_free = True  # no run holds the lock: a "running" operation was killed

    def rows() -> Iterator[dict[str, Any]]:
        for op in newest_first:
            status = op.status
            if lock_free:
                status = ABANDONED.get(status, status)
            yield {**row(op), "status": status}

    from ozonctl.cli.schemas import JOURNAL_ENTRY

    ctx.output.rows(columns, rows(), empty=empty, schema=JOURNAL_ENTRY)


def created(op: Operation) -> dt.datetime | None:
    """When ``op`` was started (its journal's ``created``), None when unreadable."""
    try:
        return dt.datetime.fromisoformat(str(op.header.get("created", "")))
    except ValueError:
        return None


def history_columns(*between: Column) -> list[Column]:
    """When, Ref, Kind, ``between``, Outcome, Reason, Result: the columns of the listing
    and order histories."""
    from ozonctl.cli.output import Column

    return [
        Column("created", "When"),
        Column("ref", "Ref"),
        Column("kind", "Kind"),
        *between,
        Column("status", "Outcome"),
        Column("reason", "Reason", max_width=30),
        Column("result", "Result", max_width=40),
    ]


def counts_text(header: dict[str, Any], keys: Sequence[str]) -> str:
    """``"matched 4, delisted 3"``: the header's counts among ``keys``, in that order."""
    return ", ".join(f"{k} {header[k]}" for k in keys if header.get(k) is not None)
