"""Reading the files a seller feeds in: stock, price (and cost) tables, and the bytes
of id lists (their rule is :mod:`ozonctl.cli.fromfile`).

Sellers' files come from Russian Excel, Chinese Excel, Ozon's own templates and
ozonctl's own ``show --csv``. One reader takes them all:

- bytes: UTF-8 with or without a BOM, UTF-16 with a BOM, else Windows-1251 (what
  Russian Excel's "CSV" writes); a regular file or stdin only (``/dev/zero``, a FIFO or a
  folder is refused: it would hang or never end), and at most ``MAX_BYTES``;
- tables: a header line first, columns separated by TAB, ``;`` or ``,`` (whichever the
  header has most of), column names in ozonctl's words or Ozon's Russian template words
  (``Артикул``, ``Остаток``, ``Цена до скидки, ₽`` …), matched without case, unit
  suffixes or ``(необязательно)``;
- numbers: thousands grouped with spaces or no-break spaces, a decimal comma; ASCII
  digits only, no exponent, no NaN or infinity.

Every problem of a file is collected with its line number (:class:`Problems`), so the
seller fixes them all in one go; nothing is sent while there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ozonctl.errors import UsageError

MAX_BYTES = 64 * 1024 * 1024
"""The largest input file read (Ozon's own templates stop at 100,000 rows, ~10 MB)."""

MAX_PRICE = Decimal(1_000_000_000)
"""Prices are below this (Ozon's price fields are strings; a sanity bound on ours)."""

# --- bytes to text -------------------------------------------------------------------------


def read_text(path: Path | str, *, source: str = "") -> str:
    """The text of a seller's file (``-`` = stdin), decoded as the module says."""
    name = source or str(path)
    data = _read_bytes(path, name)
    return decode(data, name)


def _read_bytes(path: Path | str, name: str) -> bytes:
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stdin (tests): already decoded
            text = sys.stdin.read(MAX_BYTES + 1) if sys.stdin else ""
            data = text.encode("utf-8")
        else:
            data = stream.read(MAX_BYTES + 1)
        return _capped(data, name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise UsageError(f"{name}: {kind}; give a file (or - for stdin)")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return _capped(f.read(MAX_BYTES + 1), name)
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _capped(data: bytes, name: str) -> bytes:
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files"
        )
    return data


def decode(data: bytes, name: str = "input") -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1251."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{name}: not valid UTF-16 text") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UsageError(
            f"{name}: not a text file (or UTF-16 without a BOM)",
            hint="save it as CSV UTF-8 or as Unicode text",
        )
    return data.decode("cp1251", errors="replace")


# --- numbers -------------------------------------------------------------------------------

_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")


def _plain_number(text: str) -> str | None:
    """``text`` as ASCII digits with at most one ``.``; None when it is not one."""
    s = text.strip().translate(_GROUPING)
    if "," in s and "." in s:  # 1,234.50: the last of the two marks the decimals
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    return s if _PLAIN.fullmatch(s) else None


def parse_count(text: str, what: str = "value", *, below: int | None = None) -> int:
    """A whole number ≥ 0 (``1 200``, ``5,0`` too); UsageError names ``what``."""
    s = _plain_number(text)
    whole, _, frac = (s or "").partition(".")
    if s is None or frac.strip("0"):
        raise UsageError(f"{what} {text.strip()!r} is not a whole number")
    value = int(whole)
    if below is not None and value >= below:
        raise UsageError(f"{what} must be 0 to {below - 1:,}, not {value:,}")
    return value


def parse_money(text: str, what: str = "price") -> Decimal:
    """A price ≥ 0 with at most two decimals, below ``MAX_PRICE``: ``1 299,50`` is
    1299.50. Refused: exponents, NaN, infinities, signs, other scripts' digits."""
    s = _plain_number(text)
    if s is None:
        raise UsageError(f"{what} {text.strip()!r} is not a price (digits, one decimal mark)")
    value = Decimal(s)
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2:
        raise UsageError(f"{what} {text.strip()!r} has more than two decimals")
    if value >= MAX_PRICE:
        raise UsageError(f"{what} {text.strip()!r} is too large (below {MAX_PRICE:,})")
    return value


def money_text(value: Decimal | None) -> str:
    """Money as Ozon's string fields want it and people read it: ``1299.50``."""
    return "" if value is None else format(value.quantize(Decimal("0.01")), "f")


# --- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column the caller wants: its ``name`` and every header that means it."""

    name: str
    aliases: tuple[str, ...] = ()

    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


_SUFFIX = re.compile(
    r"\s*(,\s*(₽|руб\.?|rub|шт\.?|pcs)|\((₽|руб\.?|rub|шт\.?|необязательно)\)|\*)$"
)


def header_key(text: str) -> str:
    """A header as compared: lower case, ``ё`` as ``е``, ``_`` as a space, unit
    suffixes (``, ₽``, ``(руб.)``, ``(необязательно)``, ``*``) and quotes dropped."""
    s = text.strip().strip('"').strip().lower().replace("ё", "е").replace("_", " ")
    s = " ".join(s.split())
    while True:
        cut = _SUFFIX.sub("", s).strip()
        if cut == s:
            return s
        s = cut


@dataclass
class Table:
    """A seller's table: its rows as ``(line number, {column name: value})``, only the
    columns asked for that the file has (``has``)."""

    source: str
    has: frozenset[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(
    path: Path | str,
    columns: Sequence[Column],
    *,
    needs: Sequence[Sequence[str]],
    source: str = "",
) -> Table:
    """The rows of a seller's table. ``needs``: groups of column names of which the
    header must have one each (``[["offer_id", "sku", "product_id"], ["stock"]]``);
    otherwise exit 2 naming what was expected and what was found."""
    name = source or str(path)
    text = read_text(path, source=name)
    lines = _lines(text)
    first = next(lines, None)
    while first is not None and not first[1].strip():
        first = next(lines, None)
    wanted = {header_key(h): c.name for c in columns for h in c.headers()}
    if first is None:
        raise UsageError(f"{name}: empty file", hint=_expected(columns, needs))
    delimiter = _delimiter(first[1])
    header = next(csv.reader([first[1]], delimiter=delimiter))
    keys = [wanted.get(header_key(h)) for h in header]
    has = frozenset(k for k in keys if k)
    missing = [group for group in needs if not has & set(group)]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise UsageError(
            f"{name} line {first[0]}: not a header ozonctl knows (found: {found[:200]})",
            hint=_expected(columns, needs),
        )
    table = Table(name, has)
    for n, cells in _records(lines, delimiter, name):
        row = {k: cells[i].strip() for i, k in enumerate(keys) if k and i < len(cells)}
        if any(row.values()):
            table.rows.append((n, row))
    return table


def _expected(columns: Sequence[Column], needs: Sequence[Sequence[str]]) -> str:
    by_name = {c.name: c for c in columns}

    def label(c: Column) -> str:
        russian = next((a for a in c.aliases if not a.isascii()), "")
        return f"{c.name} ({russian})" if russian else c.name

    groups = [" or ".join(label(by_name[g]) for g in group) for group in needs]
    optional = [label(c) for c in columns if not any(c.name in g for g in needs)]
    extra = f"; optional: {', '.join(optional)}" if optional else ""
    return "expected columns " + " and ".join(groups) + extra


def _lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(io.StringIO(text, newline=None), start=1)


def _records(
    lines: Iterator[tuple[int, str]], delimiter: str, name: str
) -> Iterator[tuple[int, list[str]]]:
    """Records with the line each starts on (a quoted cell may span lines)."""
    numbered = iter(lines)
    start = [0]

    def feed() -> Iterator[str]:
        for n, line in numbered:
            if not start[0]:
                start[0] = n
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    while True:
        start[0] = 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UsageError(f"{name} line {start[0]}: unreadable CSV ({exc})") from None
        yield start[0], cells


class Problems:
    """Problems of an input, each one line with where it is; :meth:`stop` prints them
    all on stderr, in line order, and stops with exit 2 before anything is sent."""

    def __init__(self, source: str = "") -> None:
        self.source = source
        self._found: list[tuple[int, str]] = []

    def add(self, where: int | str, text: str) -> None:
        at = f"line {where}" if isinstance(where, int) else where
        line = where if isinstance(where, int) else 0
        self._found.append((line, f"{at}: {text}"))

    @property
    def lines(self) -> list[str]:
        """The problems, in line order (as found within a line)."""
        return [text for _, text in sorted(self._found, key=lambda f: f[0])]

    def __bool__(self) -> bool:
        return bool(self._found)

    def stop(self, report: Callable[[str], None]) -> None:
        """``report`` each problem (``Output.error``), then exit 2 with a summary (the
        problem itself when there is one)."""
        if not self._found:
            return
        prefix = f"{self.source} " if self.source else ""
        lines = self.lines
        if len(lines) == 1:
            raise UsageError(f"{prefix}{lines[0]}; nothing was sent")
        for line in lines:
            report(f"{prefix}{line}")
        raise UsageError(
            f"{len(lines)} problems in {self.source or 'the input'} (listed above); "
            "nothing was sent"
        )


def pick(row: Mapping[str, str], names: Sequence[str]) -> str:
    """The first non-empty of ``names`` in ``row`` ("" when none)."""
    for key in names:
        value = row.get(key)
        if value:
            return value
    return ""
