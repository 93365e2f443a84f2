"""The on-disk layout of the catalogue index and the sales history: one TOML file each,
rows stored column-wise.

    format = 1
    count = 3
    refreshed = "2026-11-27T02:00:00Z"

    [columns]
    product_id = '''
    801000000
    801000007
    801000014
    '''
    offer_id = '''
    …

A header of plain keys (written by ``tomli_w``), then one multi-line *literal* string
per column with one value a line; line k of every column belongs to row k. The file is
read whole by ``tomllib``, so a hand-edited file reads as any TOML reader reads it.

The columns are written here, not by ``tomli_w``, because ``tomli_w`` writes basic
strings, which ``tomllib`` reads one character at a time: a 100,000-product index then
misses the 0.5 s load goal, while a literal string is read in one search for its end
(figures in docs/performance.md). Values are cleaned on write: control characters
become spaces and ``'''`` cannot occur.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from ozonctl.state.files import atomic_write_bytes, move_aside

FORMAT = 1
_CONTROL = {c: " " for c in [*range(0x20), 0x7F] if c != 0x09}


class LayoutError(ValueError):
    """The file is TOML but not a column file of the expected shape."""


def clean(value: str) -> str:
    """A value safe inside a multi-line literal string, on one line."""
    text = value.translate(_CONTROL)
    while "'''" in text:
        text = text.replace("'''", "''’")
    return text


def dump(
    header: Mapping[str, Any],
    columns: Mapping[str, Iterable[str]],
    stored: Mapping[str, str] | None = None,
) -> bytes:
    """The file's bytes: ``header`` keys (None left out) and ``columns`` of equal length.
    A column in ``stored`` (its text as ``load`` read it, unchanged since) is written
    as it was read instead of being joined again: the same bytes, without going through
    100,000 values (an archive changes one column of the index)."""
    head = {"format": FORMAT, **{k: v for k, v in header.items() if v is not None}}
    parts = [tomli_w.dumps(head), "\n[columns]\n"]
    for name, values in columns.items():
        text = stored.get(name) if stored is not None else None
        if text is not None:
            parts.append(f"{name} = '''\n{text}'''\n")
            continue
        block = "\n".join(v if v.isprintable() and "'''" not in v else clean(v) for v in values)
        parts.append(f"{name} = '''\n{block}\n'''\n" if block else f"{name} = '''\n'''\n")
    return "".join(parts).encode("utf-8")


def write(path: Path, header: Mapping[str, Any], columns: Mapping[str, Iterable[str]]) -> None:
    atomic_write_bytes(path, dump(header, columns), mode=0o600)


def _values(text: str, count: int) -> list[str]:
    """A column string as read: one value a line (the last newline may be missing, and
    a single empty value is written as an empty string)."""
    if count == 0:
        if text.strip("\n"):
            raise LayoutError("rows found where count = 0")
        return []
    return (text if text.endswith("\n") else text + "\n")[:-1].split("\n")


def load(
    path: Path,
    names: Sequence[str],
    warn: Callable[[str], None] | None = None,
    *,
    texts: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
    """``(header, columns)`` with each named column as a list of ``count`` strings; None
    when the file does not exist. A file that cannot be read as such is moved aside
    with a warning (it is a cache: the next refresh rebuilds it) and None is returned.
    ``texts`` receives each column's text as read, for ``dump``'s ``stored`` (a column
    without its last newline is left out: ``dump`` joins it again)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        header = tomllib.loads(raw.decode("utf-8"))
        table = header.pop("columns", None)
        if not isinstance(table, dict):
            raise LayoutError("no [columns] table")
        if header.get("format") != FORMAT:
            raise LayoutError(f"format {header.get('format')!r} is not {FORMAT}")
        count = header.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise LayoutError("count missing")
        columns = {}
        for name in names:
            text = table.get(name)
            if not isinstance(text, str):
                raise LayoutError(f"column {name} missing")
            values = _values(text, count)
            if len(values) != count:
                raise LayoutError(f"a column has {len(values)} rows, the header says {count}")
            columns[name] = values
            if texts is not None and text.endswith("\n"):
                texts[name] = text
        return header, columns
    except UnicodeDecodeError as exc:
        move_aside(path, str(exc), warn)
        return None
    except (tomllib.TOMLDecodeError, LayoutError) as exc:
        move_aside(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, warn)
        return None
