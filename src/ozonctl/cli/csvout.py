"""``--csv FILE`` for list commands: a spreadsheet-ready copy of the rows.

UTF-8 (no BOM), a header row of the column keys (the same names as the JSON keys),
comma-separated with RFC 4180 quoting, ``\\r\\n`` line ends, numbers with a decimal point
whatever the locale (Decimals are written exactly as held), dates and times in ISO 8601,
empty cells for missing values. The file is written atomically: rows stream into a
temporary file next to it, which replaces ``FILE`` only when every row was written, so a
failed run never leaves a half-written or clobbered file. ``--csv -`` writes to stdout.

Adopting it in a list command takes one option and one call::

    from ozonctl.cli.csvout import CsvOption, emit_rows

    def list_(..., csv: CsvOption = None) -> None:
        emit_rows(ctx.output, columns, rows, csv=csv)   # instead of ctx.output.rows(...)

Without ``--csv`` that is exactly ``Output.rows``. With ``--csv FILE`` the rows go to the
file and a one-line note to stderr; with ``--json`` as well, the JSON still goes to stdout
(each row is read from the source once and written to both).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ozonctl.cli.output import Column, Output

CsvOption = Annotated[
    Path | None,
    typer.Option(
        "--csv",
        metavar="FILE",
        dir_okay=False,
        help="Write the rows to FILE as CSV (UTF-8, header row, decimal point) instead "
        "of stdout; with --json the JSON still goes to stdout. '-' writes CSV to stdout.",
    ),
]
"""The ``--csv FILE`` option, typed for a command's signature: ``csv: CsvOption = None``."""

STDOUT = Path("-")


def csv_cell(value: Any) -> str:
    """A cell: exact Decimals, ISO dates, true/false, empty for None, lists joined by ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return csv_cell(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(csv_cell(v) for v in value)
    return str(value)


def write_csv_stream(
    stream: IO[str], columns: Sequence[Column], rows: Iterable[dict[str, Any]]
) -> int:
    """Write a header and ``rows`` to an open text stream; return the row count."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    n = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in columns])
        n += 1
    stream.flush()
    return n


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream that replaces ``path`` on success and vanishes on failure."""
    from ozonctl.state.files import atomic_open

    with atomic_open(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield fh
            fh.flush()
        finally:
            fh.detach()  # atomic_open closes the file


def write_csv(path: Path, columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` to ``path`` (``-``: stdout) as CSV; return the row count."""
    if path == STDOUT:
        return write_csv_stream(sys.stdout, columns, rows)
    check_csv_target(path)
    with atomic_text(path) as fh:
        return write_csv_stream(fh, columns, rows)


def emit_rows(
    output: Output,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    csv: Path | None = None,
    title: str | None = None,
    empty: str = "nothing found",
    json_rows: Callable[[dict[str, Any]], Any] | None = None,
) -> int:
    """``output.rows(...)``, or the rows to ``--csv`` (and to stdout as well with --json)."""
    if csv is None:
        return output.rows(columns, rows, title=title, empty=empty, json_rows=json_rows)
    if csv == STDOUT:
        if output.json:
            from ozonctl.errors import UsageError

            raise UsageError("--csv - and --json both write to stdout", hint="give --csv a FILE")
        return write_csv(csv, columns, rows)
    if not output.json:
        n = write_csv(csv, columns, rows)
        output.success(f"wrote {n} row{'' if n == 1 else 's'} to {csv}")
        return n
    check_csv_target(csv)
    with atomic_text(csv) as fh:
        writer = _RowTee(fh, columns)
        n = output.rows(columns, writer.tee(rows), title=title, empty=empty, json_rows=json_rows)
    output.success(f"wrote {n} row{'' if n == 1 else 's'} to {csv}")
    return n


def emit_table(
    output: Output,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    *,
    csv: Path | None = None,
    document: Any = None,
    title: str | None = None,
) -> None:
    """For a command whose JSON is one ``document`` but whose table is ``rows`` (totals,
    a balance): the rows on a terminal or in a pipe, the document with --json, the rows
    to ``--csv`` (then nothing else on stdout unless --json)."""
    if csv is not None:
        if csv == STDOUT and output.json:
            from ozonctl.errors import UsageError

            raise UsageError("--csv - and --json both write to stdout", hint="give --csv a FILE")
        n = write_csv(csv, columns, rows)
        if csv != STDOUT:
            output.success(f"wrote {n} row{'' if n == 1 else 's'} to {csv}")
    if output.json:
        output.document(document)
    elif csv is None:
        output.rows(columns, rows, title=title)


class _RowTee:
    """Passes rows through while writing each to a CSV stream."""

    def __init__(self, stream: IO[str], columns: Sequence[Column]) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._columns = columns
        self._writer.writerow([c.key for c in columns])

    def tee(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self._writer.writerow([csv_cell(row.get(c.key)) for c in self._columns])
            yield row


def check_csv_target(path: Path | None) -> None:
    """Fail before any request is sent if ``--csv`` cannot be written where asked."""
    from ozonctl.errors import UsageError

    if path is None or path == STDOUT:
        return
    if path.is_dir():
        raise UsageError(f"--csv {path}: is a folder", hint="give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--csv {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"--csv {path}: folder {folder} is not writable")
