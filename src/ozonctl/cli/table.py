"""A list on a terminal: IDs, dates, numbers and money are never wrapped or cut; only
free text (names, titles, reasons, comments) is shortened, with "…".

- Times are shown in the seller's zone, named in the header: ``Ship by (MSK)``.
- A currency column that says the same on every row moves into the money columns'
  headers: ``Price, ₽``.
- When even the whole-value columns do not fit the width, each row is printed as
  ``Header: value`` lines instead of a table that would cut them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonctl.cli import times

if TYPE_CHECKING:
    from rich.console import Console

    from ozonctl.cli.output import Column

FREE_TEXT = (
    "name",
    "title",
    "reason",
    "comment",
    "description",
    "message",
    "note",
    "products",
    "warehouse",
    "category",
    "error",
    "detail",
    "problem",
    "address",
    "type",
)
"""Words of a column's key (split at ``_``) that make it free text, which may be
shortened: ``name``, ``type_name``, ``warehouse``; never a key that ends in an ID word."""

ID_WORDS = ("id", "ids", "number", "sku", "code", "unit")

MIN_TEXT = 8
"""The narrowest a free-text column is made (less reads as noise)."""

CURRENCY_KEYS = ("currency", "currency_code")
SYMBOLS = {"RUB": "₽", "CNY": "¥", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br"}
_MONEY = re.compile(r"-?\d[\d  ]*[.,]\d{2}")

GAP = 2
"""Spaces between two columns."""


def is_free_text(column: Column) -> bool:
    """May this column be shortened? Free text only: a key that names text (``name``,
    ``title``, ``reason``, …), not an ID (``type_id``, ``posting_number``)."""
    words = column.key.lower().split("_")
    if words[-1] in ID_WORDS:
        return False
    return any(word in FREE_TEXT for word in words)


def cell(value: Any, column: Column, zone: dt.tzinfo) -> str:
    """A terminal cell: one line, no escapes; a time in ``zone``."""
    from ozonctl.cli.output import clean_text, plain

    if column.fmt is not None:
        return clean_text(column.fmt(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return times.human(value, zone)
    return plain(value)


def _is_money(value: Any) -> bool:
    return isinstance(value, Decimal) or (isinstance(value, str) and bool(_MONEY.fullmatch(value)))


def layout(
    columns: Sequence[Column], rows: Sequence[dict[str, Any]], zone: dt.tzinfo
) -> tuple[list[Column], list[str], list[list[str]]]:
    """The columns shown, their headers and the cells: a constant currency column taken
    into the money headers, the zone named in the time headers."""
    shown = list(columns)
    suffix: dict[str, str] = {}
    for c in columns:
        if c.key not in CURRENCY_KEYS:
            continue
        values = {r.get(c.key) for r in rows}
        if len(values) == 1 and (code := next(iter(values))):
            shown.remove(c)
            money = [
                m
                for m in shown
                if m.fmt is None
                and any(r.get(m.key) is not None for r in rows)
                and all(_is_money(r.get(m.key)) for r in rows if r.get(m.key) is not None)
            ]
            for m in money:
                suffix[m.key] = f", {SYMBOLS.get(str(code), str(code))}"
    headers = []
    for c in shown:
        header = c.header + suffix.get(c.key, "")
        if c.fmt is None:
            when = next((r[c.key] for r in rows if isinstance(r.get(c.key), dt.datetime)), None)
            if when is not None:
                header += f" ({times.zone_label(zone, when)})"
        headers.append(header)
    cells = [[cell(r.get(c.key), c, zone) for c in shown] for r in rows]
    return shown, headers, cells


def fit(
    columns: Sequence[Column], headers: Sequence[str], cells: Sequence[Sequence[str]], width: int
) -> list[int] | None:
    """Column widths within ``width``: every whole-value column at its widest cell, the
    free-text ones shortened as little as needed; None when that cannot fit."""
    from rich.cells import cell_len

    natural = [
        max([cell_len(h), *(cell_len(row[j]) for row in cells)]) for j, h in enumerate(headers)
    ]
    text = [is_free_text(c) for c in columns]
    widths = [
        min(n, max(c.max_width, MIN_TEXT)) if t and c.max_width else n
        for n, c, t in zip(natural, columns, text, strict=True)
    ]
    room = width - GAP * (len(columns) - 1)
    if sum(widths) <= room:
        return widths
    floor = [min(w, MIN_TEXT) if t else w for w, t in zip(widths, text, strict=True)]
    if sum(floor) > room:
        return None
    # the widest free-text columns give way first: cap them all at one level
    low, high = MIN_TEXT, max(w for w, t in zip(widths, text, strict=True) if t)
    while low < high:
        level = (low + high + 1) // 2
        total = sum(
            min(w, max(level, f)) if t else w for w, f, t in zip(widths, floor, text, strict=True)
        )
        if total <= room:
            low = level
        else:
            high = level - 1
    return [min(w, max(low, f)) if t else w for w, f, t in zip(widths, floor, text, strict=True)]


def print_table(
    console: Console,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    zone: dt.tzinfo,
    title: str | None = None,
) -> int:
    """Print ``rows`` for a person; return how many. The lines are made here from the
    widths of :func:`fit` and written as they are made (no rich Table over everything:
    8,000 rows would take it ~10 s)."""
    held = list(rows)
    if not held:
        return 0
    shown, headers, cells = layout(columns, held, zone)
    widths = fit(shown, headers, cells, console.width)
    if widths is None:
        _records(console, shown, headers, cells, title)
        return len(held)
    bold = console.is_terminal and not console.no_color
    out = console.file
    if title:
        out.write(_styled(title, bold) + "\n")
    out.write(_styled(_line(shown, widths, headers), bold) + "\n")
    out.write("─" * min(console.width, sum(widths) + GAP * (len(widths) - 1)) + "\n")
    batch: list[str] = []
    for row in cells:
        batch.append(_line(shown, widths, row))
        if len(batch) >= 500:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()
    return len(held)


def _styled(text: str, bold: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if bold else text


def _line(columns: Sequence[Column], widths: Sequence[int], values: Sequence[str]) -> str:
    """One line of the table: each value padded to its column's width (by display
    width), a free-text value longer than it shortened with "…"."""
    from rich.cells import cell_len, set_cell_size

    parts = []
    for c, w, value in zip(columns, widths, values, strict=True):
        n = len(value) if value.isascii() else cell_len(value)
        if n > w:
            value, n = set_cell_size(value, w - 1) + "…", w
        pad = " " * (w - n)
        parts.append(pad + value if c.justify == "right" else value + pad)
    return (" " * GAP).join(parts).rstrip()


def _records(
    console: Console,
    columns: Sequence[Column],
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    title: str | None,
) -> None:
    """Rows as ``Header: value`` lines, for a terminal too narrow for the table."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    label = max(cell_len(h) for h in headers) + 2
    room = max(console.width - label, MIN_TEXT)
    if title:
        console.print(Text(title, style="bold"))
    for i, row in enumerate(cells):
        if i:
            console.print()
        for c, header, value in zip(columns, headers, row, strict=True):
            if is_free_text(c) and cell_len(value) > room:
                value = set_cell_size(value, room - 1) + "…"
            line = Text()
            line.append(f"{header}:".ljust(label), style="bold")
            line.append(value)
            console.print(line, no_wrap=True, overflow="ignore", crop=False)
