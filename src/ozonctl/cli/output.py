"""Output that follows its reader.

- A terminal: a rich table with headers, through the pager when longer than the
  screen (``cli/pager.py``); progress bars and messages on stderr.
- A pipe: tab-separated rows, no header, no truncation, full ISO timestamps.
- ``--json``: one JSON document; lists are written as a JSON array item by item, so a
  100,000-row listing streams in bounded memory. Decimals are strings (exact money).
  ``--json=FIELDS`` keeps those keys of each row (``select_fields``).
- ``--csv FILE`` / ``--excel FILE``: the rows to a file as well (``cli/csvout.py``).

Tables (``cli/table.py``) keep IDs, dates, numbers and money whole and shorten only free
text; times are shown in the seller's zone, named in the header (``cli/times.py``);
pipes, JSON and CSV keep ISO 8601 with the offset.

Data alone goes to stdout; everything else to stderr. An empty result is success; the
"nothing found" note goes to stderr and only on a terminal.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, Literal

from ozonctl.cli.times import iso

if TYPE_CHECKING:
    from rich.console import Console

    from ozonctl.cli.csvout import CsvTarget
    from ozonctl.cli.schema import Schema
    from ozonctl.cli.spinner import Waiting


@dataclass(frozen=True)
class Column:
    """One column of a list command: ``key`` in the row dicts (also the JSON key)."""

    key: str
    header: str
    justify: Literal["left", "right", "center"] = "left"
    max_width: int | None = None
    fmt: Callable[[Any], str] | None = None


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any, *, indent: int | None = None) -> str:
    return json.dumps(value, default=to_jsonable, ensure_ascii=False, indent=indent)


_CONVERT: dict[type, Callable[[Any], Any]] = {
    Decimal: str,
    dt.datetime: iso,
    dt.date: dt.date.isoformat,
}


def _row_default(value: Any) -> Any:
    convert = _CONVERT.get(type(value))
    return convert(value) if convert is not None else to_jsonable(value)


encode_row: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, default=_row_default).encode
"""``dumps(value)`` without indent, the same text, with the common types of a row
(Decimal, datetime, date) converted by a type lookup first."""


LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character ``str.splitlines()`` ends a line at."""

_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing the screen
    r"|[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, …: titles, links
    r"|[ -/]*[0-~])?"  # two- and three-character sequences; a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the one-byte CSI
)
"""Terminal escape sequences (ECMA-48), whole."""

_CLEAN = {
    **{code: None for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]},  # C0, DEL, C1
    **{ord(c): " " for c in "\t" + LINE_BREAKS},
}


def clean_text(text: str) -> str:
    """``text`` on one line, safe for a terminal: tabs and every line separator become a
    space, terminal escape sequences and other control characters are removed.

    Ozon's text (product names, comments) is the seller's or a stranger's: a line
    separator in a name would add a line to a TSV file that ``--from-file`` reads back
    as another product, and an escape sequence could rewrite the terminal."""
    if text.isprintable():  # no control character, no separator: nearly every cell
        return text
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text)
    return text.translate(_CLEAN)


def plain(value: Any) -> str:
    """A cell for a pipe: full precision, no decoration, on one line; None is empty."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return iso(value)
    if isinstance(value, list | tuple):
        return ",".join(plain(v) for v in value)
    return clean_text(str(value))


class ProgressHandle:
    """What a command gets from ``Output.progress``: advance it; a no-op off a terminal."""

    def __init__(self, advance: Callable[[int], None] | None = None) -> None:
        self._advance = advance
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._advance is not None:
            self._advance(n)


class Output:
    def __init__(
        self,
        *,
        json_mode: bool = False,
        no_color: bool = False,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        zone: Callable[[], dt.tzinfo] | None = None,
        json_fields: Sequence[str] | None = None,
    ) -> None:
        self.json = json_mode or json_fields is not None
        self.no_color = no_color or bool(os.environ.get("NO_COLOR"))
        self._stdout = stdout
        self._stderr = stderr
        self._console: Console | None = None
        self._err_console: Console | None = None
        self._zone = zone
        self.json_fields = list(json_fields) if json_fields is not None else None
        self.csv_target: CsvTarget | None = None
        """``--csv``/``--excel``: ``rows`` writes the rows there (``cli/csvout.py``)."""
        self.csv_written = False
        self.limit: int | None = None
        """``--limit N``: ``rows``/``page_rows`` write at most N rows and stop pulling."""
        self._live: Any = None  # the progress bar on stderr, while one shows
        self._waiting: Waiting | None = None  # the spinner while Ozon answers

    @property
    def zone(self) -> dt.tzinfo:
        """The zone a table shows times in (the ``timezone`` setting, ``TZ``, the system)."""
        from ozonctl.cli.times import local_zone

        return self._zone() if self._zone is not None else local_zone()

    # -- streams ---------------------------------------------------------------------
    @property
    def stdout(self) -> IO[str]:
        """stdout for data; whoever takes it ends the waiting spinner first."""
        self.stop_waiting()
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> IO[str]:
        return self._stderr or sys.stderr

    @property
    def stdout_tty(self) -> bool:
        return _isatty(self._stdout or sys.stdout)

    @property
    def stderr_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def human(self) -> bool:
        """True when output is for a person: a terminal and no --json."""
        return not self.json and self.stdout_tty

    @property
    def console(self) -> Console:
        self.stop_waiting()
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.stdout, no_color=self.no_color, highlight=False)
        return self._console

    @property
    def err_console(self) -> Console:
        if self._err_console is None:
            from rich.console import Console

            self._err_console = Console(
                file=self.stderr, no_color=self.no_color, highlight=False, stderr=True
            )
        return self._err_console

    # -- the waiting spinner (stderr, terminal only; cli/spinner.py) ---------------------
    def waiting(self) -> None:
        """Arm the spinner for a read: it shows after about a second of silence, only
        for a person (stdout and stderr terminals, no --json)."""
        if self._waiting is None and not self.json and self.stdout_tty and self.stderr_tty:
            from ozonctl.cli.spinner import Waiting

            self._waiting = Waiting(lambda: self.err_console)
        if self._waiting is not None:
            self._waiting.arm()

    def stop_waiting(self) -> None:
        """End the spinner for good (data, a progress bar or a prompt comes)."""
        if self._waiting is not None:
            self._waiting.stop()

    # -- messages (stderr) --------------------------------------------------------------
    def _msg(self, prefix: str, style: str, text: str) -> None:
        resume = self._waiting is not None and self._waiting.pause()
        try:
            self._print_msg(prefix, style, text)
        finally:
            if resume and self._waiting is not None:
                self._waiting.arm()

    def _print_msg(self, prefix: str, style: str, text: str) -> None:
        if self.stderr_tty and not self.no_color:
            from rich.markup import escape

            self.err_console.print(f"[{style}]{prefix}[/{style}]{escape(text)}")
        else:
            print(f"{prefix}{text}", file=self.stderr, flush=True)

    def info(self, text: str) -> None:
        self._msg("", "dim", text)

    def success(self, text: str) -> None:
        self._msg("✓ " if self.stderr_tty else "", "green", text)

    def warn(self, text: str) -> None:
        self._msg("warning: ", "yellow", text)

    def error(self, text: str) -> None:
        self._msg("error: ", "bold red", text)

    def note_empty(self, text: str = "nothing found") -> None:
        if self.stderr_tty and not self.json:
            self.info(text)

    # -- data (stdout) ------------------------------------------------------------------
    def document(
        self,
        data: Any,
        *,
        human: Callable[[], None] | None = None,
        schema: Schema | None = None,
    ) -> None:
        """One result: JSON with --json (or in a pipe when no ``human`` renderer is
        given), else ``human()`` renders it for a person or a pipe. With ``schema`` the
        JSON is ``schema.conform(data)`` (``cli/schemas.py``)."""
        if self.json or human is None:
            if schema is not None:
                data = schema.conform(data)
            if self.json_fields is not None:
                data = select_fields(data, self.json_fields)
            self.stdout.write(dumps(data, indent=2 if self.stdout_tty else None) + "\n")
            self.stdout.flush()
        else:
            human()

    def rows(
        self,
        columns: Sequence[Column],
        rows: Iterable[dict[str, Any]],
        *,
        title: str | None = None,
        empty: str = "nothing found",
        json_rows: Callable[[dict[str, Any]], Any] | None = None,
        schema: Schema | None = None,
    ) -> int:
        """Write rows in the reader's format; return how many were written.

        In JSON mode each row is written as its ``schema`` says (every key, typed:
        ``cli/schemas.py``), else the row dict whole; ``json_rows(row)`` when given
        (``--json=FIELDS``: those keys). Each row is written as it comes. With
        ``--csv``/``--excel`` the rows go to that file.
        """
        json_rows = with_schema(schema, json_rows)
        if self.limit is not None:
            rows = itertools.islice(rows, self.limit)  # no row (page) is asked for past N
        if self.csv_target is not None:
            from ozonctl.cli.csvout import write_rows

            self.csv_written = True
            return write_rows(self, self.csv_target, columns, rows, json_rows=json_rows)
        if self.json or not self.stdout_tty:
            return self._write_pages(
                columns, ([row] for row in rows), empty, json_rows, flush_each=False
            )
        return self._table(columns, rows, title, empty)

    def outcomes(
        self,
        columns: Sequence[Column],
        rows: Iterable[dict[str, Any]],
        *,
        ref: str | None,
        dry_run: bool,
        key: str = "result",
        counts: dict[str, int] | None = None,
        empty: str = "nothing to do",
        schema: Schema,
    ) -> int:
        """What a bulk write did (or would do), one row per item: a table or TSV, or with
        --json one envelope ``{ref, dry_run, counts, items}`` (docs/scripting.md): ``ref``
        the journal's (null when nothing was journalled), ``counts`` the items per outcome
        (the ``key`` of each row) unless given, each item in ``schema``'s form (every
        bulk write has one: :mod:`ozonctl.cli.write_schemas`). Returns the number of
        items."""
        if not self.json:
            return self.rows(columns, rows, empty=empty)
        items = list(rows)
        if counts is None:
            counts = {}
            for item in items:
                outcome = str(item.get(key))
                counts[outcome] = counts.get(outcome, 0) + 1
        items = [schema.conform(item) for item in items]
        self.document({"ref": ref, "dry_run": dry_run, "counts": counts, "items": items})
        return len(items)

    def page_rows(
        self,
        columns: Sequence[Column],
        pages: Iterable[Sequence[dict[str, Any]]],
        *,
        title: str | None = None,
        empty: str = "nothing found",
        json_rows: Callable[[dict[str, Any]], Any] | None = None,
        schema: Schema | None = None,
    ) -> int:
        """Like :meth:`rows`, for rows that come a page at a time: each page is written
        with one ``write`` and flushed before the next page is asked for (JSON array
        items, TSV lines; a terminal's table is printed at the end, as with ``rows``).
        Empty pages are skipped. Returns how many rows were written. With ``--limit N``
        the page that reaches N is cut and no further page is asked for."""
        if self.limit is not None:
            pages = _first_rows(pages, self.limit)
        if self.csv_target is not None:
            rows = (row for page in pages for row in page)
            return self.rows(
                columns, rows, title=title, empty=empty, json_rows=json_rows, schema=schema
            )
        json_rows = with_schema(schema, json_rows)
        if self.json or not self.stdout_tty:
            return self._write_pages(columns, pages, empty, json_rows, flush_each=True)
        return self._table(columns, (row for page in pages for row in page), title, empty)

    def _write_pages(
        self,
        columns: Sequence[Column],
        pages: Iterable[Sequence[dict[str, Any]]],
        empty: str,
        convert: Callable[[dict[str, Any]], Any] | None,
        *,
        flush_each: bool,
    ) -> int:
        if self.json:
            return self.json_array(pages, convert, flush_each=flush_each, columns=columns)
        out = self.stdout
        n = 0
        keys = [c.key for c in columns]
        for page in pages:
            if not page:
                continue
            out.write("".join("\t".join([plain(row.get(k)) for k in keys]) + "\n" for row in page))
            n += len(page)
            if flush_each:
                out.flush()
        out.flush()
        if not n:
            self.note_empty(empty)
        return n

    def json_array(
        self,
        pages: Iterable[Sequence[Any]],
        convert: Callable[[Any], Any] | None = None,
        *,
        flush_each: bool = True,
        columns: Sequence[Column] = (),
    ) -> int:
        """Items, a page at a time, as one JSON array on stdout, whatever the mode (for
        answers that have no columns, like ``api --paginate``); returns the count.
        ``--json=FIELDS`` keeps those keys; an unknown one fails before anything is
        written (the valid names: the first item's keys and the ``columns``)."""
        out = self.stdout
        encode = encode_row
        n = 0
        opened = self.json_fields is None  # with FIELDS, "[" waits for the check
        if opened:
            out.write("[")
        else:
            picker = FieldPicker(self.json_fields or [], [c.key for c in columns])
            convert = picker.after(convert)
        for page in pages:
            if not page:
                continue
            if convert is not None:
                text = ",\n".join([encode(convert(row)) for row in page])
            else:
                text = ",\n".join([encode(row) for row in page])
            out.write((",\n" if n else "\n" if opened else "[\n") + text)
            n += len(page)
            if flush_each:
                out.flush()
        if not n and not opened:
            picker.check(set())
        out.write("\n]\n" if n else "]\n" if opened else "[]\n")
        out.flush()
        return n

    def _table(
        self,
        columns: Sequence[Column],
        rows: Iterable[dict[str, Any]],
        title: str | None,
        empty: str,
    ) -> int:
        from ozonctl.cli.table import print_table

        if self._live is not None:  # the bar goes before the table, not beside it
            self._live.stop()
        held = list(rows)
        pager = self._pager(len(held))
        if pager is None:
            n = print_table(self.console, columns, held, zone=self.zone, title=title)
        else:
            from rich.console import Console

            from ozonctl.cli.pager import paged

            with paged(pager) as stream:
                console = self.console
                if stream is not None:
                    console = Console(
                        file=stream,
                        force_terminal=True,
                        width=self.console.width,
                        no_color=self.no_color,
                        highlight=False,
                    )
                n = print_table(console, columns, held, zone=self.zone, title=title)
        if not n:
            self.note_empty(empty)
        return n

    def _pager(self, rows: int) -> list[str] | None:
        """The pager for a table of ``rows`` rows (``cli/pager.py``): only on a
        terminal, without --json, when the rows do not fit the screen."""
        if self.json or not self.stdout_tty or rows + 3 <= self.console.height:
            return None
        from ozonctl.cli.pager import command

        return command()

    # -- progress (stderr, terminal only) -------------------------------------------------
    @contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[ProgressHandle]:
        self.stop_waiting()
        if not self.stderr_tty or self.json:
            yield ProgressHandle()
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.err_console,
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            self._live = bar
            try:
                yield ProgressHandle(lambda n: bar.advance(task, n))
            finally:
                self._live = None


class FieldPicker:
    """``--json=FIELDS``: each item cut to those keys, in that order. An unknown name is a
    usage error listing the valid ones (gh's form), raised at the first item, before
    anything is written."""

    def __init__(self, fields: Sequence[str], known: Sequence[str] = ()) -> None:
        self.fields = list(fields)
        self.known = list(known)
        self._checked = False

    def check(self, keys: Iterable[str]) -> None:
        valid = list(dict.fromkeys([*keys, *self.known]))
        unknown = [f for f in self.fields if f not in valid]
        if unknown:
            from ozonctl.errors import UsageError

            raise UsageError(
                f"unknown JSON field: {unknown[0]!r}",
                hint="Available fields: " + ", ".join(valid),
            )
        self._checked = True

    def pick(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if not self._checked:
            self.check(item)
        return {f: item.get(f) for f in self.fields}

    def after(self, convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
        if convert is None:
            return self.pick
        return lambda row: self.pick(convert(row))


def with_schema(
    schema: Schema | None, convert: Callable[[Any], Any] | None
) -> Callable[[Any], Any] | None:
    """``convert`` after the row is put in ``schema``'s form (when there is a schema)."""
    if schema is None:
        return convert
    if convert is None:
        return schema.conform
    conform = schema.conform
    return lambda row: convert(conform(row))


def select_fields(data: Any, fields: Sequence[str]) -> Any:
    """A document cut to ``fields``: a dict's keys, or each item of a list of dicts."""
    picker = FieldPicker(fields)
    if isinstance(data, list):
        return [picker.pick(item) for item in data]
    return picker.pick(data)


def _first_rows(
    pages: Iterable[Sequence[dict[str, Any]]], limit: int
) -> Iterator[Sequence[dict[str, Any]]]:
    """The pages up to ``limit`` rows, the last one cut; the next page is not pulled."""
    left = limit
    for page in pages:
        if left <= 0:
            return
        yield page[:left]
        left -= len(page[:left])
        if left <= 0:
            return


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
