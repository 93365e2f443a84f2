"""The on-disk layout of the catalogue index and the sales history: one TOML file each,
rows stored column-wise so that 100,000 products load in well under half a second.

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

A header of plain keys, then one multi-line *literal* string per column with one value a
line; line k of every column belongs to row k. Any TOML reader reads the file; ozonctl
reads it with a fast path that slices each column out with ``str.find`` (``tomllib``
spends ~0.3 s checking every character of 100,000 rows), falling back to ``tomllib``
when the file does not have exactly this shape (say, after a hand edit). Values are
cleaned on write: control characters become spaces and ``'''`` cannot occur.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ozonctl.state.files import atomic_write_bytes, move_aside

FORMAT = 1
_OPEN = " = '''\n"
_CLOSE = "'''\n"
_CONTROL = {c: " " for c in [*range(0x20), 0x7F] if c != 0x09}


class LayoutError(ValueError):
    """The file is TOML but not a column file of the expected shape."""


def clean(value: str) -> str:
    """A value safe inside a multi-line literal string, on one line."""
    text = value.translate(_CONTROL)
    while "'''" in text:
        text = text.replace("'''", "''’")
    return text


def _toml_scalar(value: Any) -> str:
    import tomli_w

    return tomli_w.dumps({"v": value})[4:].rstrip("\n")


class Block:
    """One column as read: ``text`` holds each value followed by a newline (``""`` for
    no rows); ``raw`` is the same block as stored, when it can be written back as is.

    A block read from a file keeps its bytes and decodes them on first use of ``text``
    (the names of 100,000 products are ~6 MB of mostly Cyrillic: 7 ms to decode, for
    commands that often show a few thousand names or none); ``take`` reads some rows
    without decoding the rest."""

    __slots__ = ("_fixed", "_rows", "_text", "raw")

    def __init__(self, text: str | None, raw: bytes | None = None, rows: int | None = None) -> None:
        if text is None and raw is None:
            raise ValueError("a block needs its text or its bytes")
        self._text = text
        self.raw = raw
        self._rows = rows
        """Newlines in ``raw``, when counted already."""
        self._fixed: int | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            assert self.raw is not None
            self._text = self.raw.decode("utf-8", "replace")
        return self._text

    def values(self) -> list[str]:
        text = self.text
        return text[:-1].split("\n") if text else []

    def take(self, rows: Iterable[int]) -> list[str]:
        """The values of ``rows`` (0-based), decoding only those when not yet decoded.

        A block whose rows all have one width (product ids, dates, flags) is sliced at
        ``row * width`` without splitting it into its 100,000 lines first (~2 ms a
        column); others are split."""
        raw = self.raw
        if self._text is not None or not raw:
            values = self.values()
            return list(map(values.__getitem__, rows))
        width = self._width()
        rows = rows if isinstance(rows, list) else list(rows)
        if width and rows and min(rows) >= 0 and max(rows) < len(raw) // width:
            size = width - 1
            if raw.isascii():  # decoded whole (1 MB: 0.05 ms), sliced: no decode a row
                text = raw.decode("ascii")
                return [text[i * width : i * width + size] for i in rows]
            return [raw[i * width : i * width + size].decode("utf-8", "replace") for i in rows]
        # split (also what makes a negative or too large row do as a list does)
        lines = raw[:-1].split(b"\n")
        return [lines[i].decode("utf-8", "replace") for i in rows]

    def flags_set(self, rows: Iterable[int], value: bool) -> Block | None:
        """This column of one-character flags (``1``/``0`` a line, as ``_flags`` in the
        index writes them) with ``rows`` set to ``value``, changed bytewise: no list of
        100,000 booleans to parse and write back. None when the block is not such."""
        raw = self.raw
        if not raw or self._width() != 2:
            return None
        flags = bytearray(raw)
        digit = ord("1") if value else ord("0")
        for row in rows:
            flags[2 * row] = digit
        return Block(None, bytes(flags), len(raw) // 2)

    def _width(self) -> int:
        """Bytes a row, newline included, when every row has that many; else 0."""
        width = self._fixed
        if width is None:
            raw = self.raw or b""
            lines = self._rows if self._rows is not None else raw.count(b"\n")
            width = len(raw) // lines if lines and len(raw) % lines == 0 else 0
            # that many newlines, each at the end of a row of that width: no other row
            if width and raw[width - 1 :: width].count(b"\n") != lines:
                width = 0
            self._fixed = width
        return width

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Block) and (self.text, self.raw) == (other.text, other.raw)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: not hashable

    def __repr__(self) -> str:
        return f"Block({len(self.raw or b'') or len(self.text)} bytes)"


def dump(header: Mapping[str, Any], columns: Mapping[str, Iterable[str] | Block]) -> bytes:
    """The file's bytes: ``header`` keys (scalars) and ``columns`` of equal length; a
    ``Block`` read from a file is written back without looking at its values again."""
    parts = [f"format = {FORMAT}\n"]
    for key, value in header.items():
        if value is not None and key != "format":
            parts.append(f"{key} = {_toml_scalar(value)}\n")
    parts.append("\n[columns]\n")
    chunks: list[bytes] = []
    for name, values in columns.items():
        parts.append(name + _OPEN)
        if isinstance(values, Block) and values.raw is not None:
            chunks += ["".join(parts).encode("utf-8"), values.raw]
            parts = [_CLOSE]
            continue
        if isinstance(values, Block):
            values = values.values()
        block = "\n".join(v if v.isprintable() and "'''" not in v else clean(v) for v in values)
        parts.append(block + "\n" if block else "")
        parts.append(_CLOSE)
    chunks.append("".join(parts).encode("utf-8"))
    return b"".join(chunks)


def write(
    path: Path, header: Mapping[str, Any], columns: Mapping[str, Iterable[str] | Block]
) -> None:
    atomic_write_bytes(path, dump(header, columns), mode=0o600)


_OPEN_B = _OPEN.encode()
_CLOSE_B = ("\n" + _CLOSE).encode()


def _fast(raw: bytes) -> tuple[dict[str, Any], dict[str, bytes]] | None:
    """Header and raw column blocks of a file of exactly the layout above, else None.
    Works on the bytes (the delimiters are ASCII, so they cannot occur inside a UTF-8
    sequence): a block that is written back unchanged is never decoded and encoded."""
    start = raw.find(b"\n[columns]\n")
    if start < 0:
        return None
    try:
        header = tomllib.loads(raw[:start].decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    columns: dict[str, bytes] = {}
    pos = start + len("\n[columns]\n")
    while pos < len(raw):
        eq = raw.find(_OPEN_B, pos)
        if eq < 0:
            return None if raw[pos:].strip() else (header, columns)
        name = raw[pos:eq]
        if not name.replace(b"_", b"").isalnum() or not name.isascii():
            return None
        end = raw.find(_CLOSE_B, eq + len(_OPEN_B) - 1)
        if end < 0:
            return None
        columns[name.decode("ascii")] = raw[eq + len(_OPEN_B) : end + 1]
        pos = end + len(_CLOSE_B)
    return header, columns


def _rows(text: str) -> int:
    """Rows of a block: one value per line, each followed by a newline."""
    return text.count("\n")


def _canonical(value: str, count: int) -> str:
    """A column string as read by a TOML reader, each value followed by a newline."""
    if count == 0 and not value.strip("\n"):
        return ""
    return value if value.endswith("\n") else value + "\n"


def load_blocks(
    path: Path, names: Sequence[str], warn: Callable[[str], None] | None = None
) -> tuple[dict[str, Any], dict[str, Block]] | None:
    """``(header, blocks)`` with each named column as a ``Block`` of ``count`` rows
    (checked); None when the file does not exist. A file that cannot be read as such is
    moved aside with a warning (it is a cache: the next refresh rebuilds it) and None is
    returned."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        fast = _fast(raw)
        raws: dict[str, bytes] = {}
        if fast is not None:
            header, raws = fast
            texts: dict[str, str | bytes] = {n: raws[n] for n in names if n in raws}
        else:
            data = tomllib.loads(raw.decode("utf-8"))
            raw_cols = data.pop("columns", None)
            if not isinstance(raw_cols, dict):
                raise LayoutError("no [columns] table")
            header = data
            texts = {n: str(raw_cols[n]) for n in names if n in raw_cols}
        if header.get("format") != FORMAT:
            raise LayoutError(f"format {header.get('format')!r} is not {FORMAT}")
        count = header.get("count")
        if not isinstance(count, int) or count < 0:
            raise LayoutError("count missing")
        blocks = {}
        for name in names:
            read = texts.get(name)
            if read is None:
                raise LayoutError(f"column {name} missing")
            if isinstance(read, bytes) and count and read.endswith(b"\n"):
                # fast path, rows as stored: decoded when first used
                rows = read.count(b"\n")
                block = Block(None, read, rows)
            else:
                decoded = read.decode("utf-8") if isinstance(read, bytes) else read
                text = _canonical(decoded, count)
                rows = _rows(text)
                # as stored, when that is exactly the layout above (fast path, unchanged)
                same = isinstance(read, bytes) and len(text) == len(decoded)
                block = Block(text, read if same and isinstance(read, bytes) else None)
            if count == 0 and rows:
                raise LayoutError("rows found where count = 0")
            if rows != count:
                raise LayoutError(f"a column has {rows} rows, the header says {count}")
            blocks[name] = block
        return header, blocks
    except UnicodeDecodeError as exc:
        move_aside(path, str(exc), warn)
        return None
    except (tomllib.TOMLDecodeError, LayoutError) as exc:
        move_aside(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, warn)
        return None


def load(
    path: Path, names: Sequence[str], warn: Callable[[str], None] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
    """``(header, columns)`` with each named column as a list of ``count`` strings (see
    ``load_blocks``)."""
    loaded = load_blocks(path, names, warn)
    if loaded is None:
        return None
    header, blocks = loaded
    return header, {name: block.values() for name, block in blocks.items()}
