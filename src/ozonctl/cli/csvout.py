"""``--csv FILE`` and ``--excel FILE`` for every list command: a spreadsheet-ready copy
of the rows, written by ``Output.rows`` (the one place; a command adds nothing).

UTF-8 (no BOM), a header row of the column keys (the same names as the JSON keys),
comma-separated with RFC 4180 quoting, ``\\r\\n`` line ends, numbers with a decimal point
whatever the locale (Decimals are written exactly as held), dates and times in ISO 8601,
empty cells for missing values. The file is written atomically: rows stream into a
temporary file next to it, which replaces ``FILE`` only when every row was written, so a
failed run never leaves a half-written or clobbered file. ``--csv -`` writes to stdout.

``--excel FILE`` is the same rows as Russian Excel opens them with a double click:
UTF-8 with a BOM, ``;`` between cells, a decimal comma (what ``sellerfiles`` reads back).

Every command gets ``--csv`` and ``--excel`` from the root group (``cli/app.py``), which
sets ``Output.csv_target``; ``Output.rows`` then writes here. A command that kept its own
``--csv`` option passes it to :func:`emit_rows`. Without a target that is exactly
``Output.rows``. With ``--csv FILE`` the rows go to the
file and a one-line note to stderr; with ``--json`` as well, the JSON still goes to stdout
(each row is read from the source once and written to both).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.table import ID_WORDS
from ozonctl.cli.times import iso

if TYPE_CHECKING:
    from ozonctl.cli.output import Column, Output
    from ozonctl.cli.schema import Schema

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


@dataclass(frozen=True)
class CsvTarget:
    """Where ``--csv``/``--excel`` write, and in which dialect."""

    path: Path
    excel: bool = False

    @property
    def option(self) -> str:
        return "--excel" if self.excel else "--csv"


def csv_cell(value: Any, *, excel: bool = False) -> str:
    """A cell: exact Decimals (a decimal comma for Excel), ISO dates and times with their
    offset, true/false, empty for None, lists joined by ';' (',' for Excel)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if excel else text
    if isinstance(value, dt.datetime | dt.date):
        return iso(value)
    if isinstance(value, Enum):
        return csv_cell(value.value, excel=excel)
    if isinstance(value, list | tuple | set | frozenset):
        return ("," if excel else ";").join(csv_cell(v, excel=excel) for v in value)
    return str(value)


_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def cells(row: dict[str, Any], columns: Sequence[Column], excel: bool) -> list[str]:
    """A row's cells. For Excel, amounts held as text (``"1809.00"``) get a decimal
    comma too, except in ID columns (an offer id ``"12.50"`` stays as it is)."""
    out = [csv_cell(row.get(c.key), excel=excel) for c in columns]
    if excel:
        for j, c in enumerate(columns):
            if _DECIMAL_TEXT.fullmatch(out[j]) and c.key.split("_")[-1] not in ID_WORDS:
                out[j] = out[j].replace(".", ",")
    return out


def _writer(stream: IO[str], columns: Sequence[Column], excel: bool) -> Any:
    """A csv writer on ``stream`` that has written the header (and Excel's BOM)."""
    if excel:
        stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    return writer


def write_csv_stream(
    stream: IO[str],
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    excel: bool = False,
) -> int:
    """Write a header and ``rows`` to an open text stream; return the row count."""
    writer = _writer(stream, columns, excel)
    n = 0
    for row in rows:
        writer.writerow(cells(row, columns, excel))
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


def write_csv(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    excel: bool = False,
) -> int:
    """Write ``rows`` to ``path`` (``-``: stdout) as CSV; return the row count."""
    if path == STDOUT:
        return write_csv_stream(sys.stdout, columns, rows, excel=excel)
    check_csv_target(path)
    with atomic_text(path) as fh:
        return write_csv_stream(fh, columns, rows, excel=excel)


def write_rows(
    output: Output,
    target: CsvTarget,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    json_rows: Callable[[dict[str, Any]], Any] | None = None,
) -> int:
    """The rows to ``target``; with --json the JSON still goes to stdout (each row read
    from the source once and written to both). Called by ``Output.rows``."""
    path, excel = target.path, target.excel
    if path == STDOUT:
        if output.json:
            from ozonctl.errors import UsageError

            raise UsageError(
                "--csv - and --json both write to stdout",
                hint=f"give {target.option} a FILE",
            )
        return write_csv(path, columns, rows, excel=excel)
    if not output.json:
        n = write_csv(path, columns, rows, excel=excel)
    else:
        check_csv_target(path)
        with atomic_text(path) as fh:
            tee = _RowTee(fh, columns, excel)
            n = output.json_array(([row] for row in tee.tee(rows)), json_rows, flush_each=False)
    output.success(f"wrote {n} row{'' if n == 1 else 's'} to {path}")
    return n


def emit_rows(
    output: Output,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    csv: Path | None = None,
    title: str | None = None,
    empty: str = "nothing found",
    json_rows: Callable[[dict[str, Any]], Any] | None = None,
    schema: Schema | None = None,
) -> int:
    """``output.rows(...)``, with a command's own ``--csv`` option (``csv``) as the
    target when given."""
    if csv is not None:
        output.csv_target = CsvTarget(csv)
    return output.rows(columns, rows, title=title, empty=empty, json_rows=json_rows, schema=schema)


def emit_table(
    output: Output,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    *,
    csv: Path | None = None,
    document: Any = None,
    title: str | None = None,
    schema: Schema | None = None,
) -> None:
    """For a command whose JSON is one ``document`` but whose table is ``rows`` (totals,
    a balance): the rows on a terminal or in a pipe, the document with --json, the rows
    to ``--csv``/``--excel`` (then nothing else on stdout unless --json)."""
    target = CsvTarget(csv) if csv is not None else output.csv_target
    if target is not None:
        if target.path == STDOUT and output.json:
            from ozonctl.errors import UsageError

            raise UsageError(
                "--csv - and --json both write to stdout",
                hint=f"give {target.option} a FILE",
            )
        n = write_csv(target.path, columns, rows, excel=target.excel)
        output.csv_written = True
        if target.path != STDOUT:
            output.success(f"wrote {n} row{'' if n == 1 else 's'} to {target.path}")
    if output.json:
        output.document(document, schema=schema)
    elif target is None:
        output.rows(columns, rows, title=title)


class _RowTee:
    """Passes rows through while writing each to a CSV stream."""

    def __init__(self, stream: IO[str], columns: Sequence[Column], excel: bool) -> None:
        self._writer = _writer(stream, columns, excel)
        self._columns = columns
        self._excel = excel

    def tee(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self._writer.writerow(cells(row, self._columns, self._excel))
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
