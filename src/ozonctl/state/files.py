"""Atomic file writes and safe TOML reads.

A write goes to a temp file in the same folder (created with the final mode, so a secret
is never readable by others, not even for a moment), is fsynced, and replaces the target
with ``os.replace``; the folder is fsynced too.

Two kinds of file are read, and a broken one is handled by who wrote it:

- ozonctl's own state and caches (journals, the catalogue index, the key cache):
  ``read_toml`` moves one that does not parse aside to ``<name>.corrupt-<timestamp>``
  with a warning and carries on with nothing, never silently overwriting it.
- the seller's files (``config.toml``, ``credentials.toml``, ``stock-thresholds.toml``):
  ``read_user_toml`` never moves or changes them; a syntax error stops the command with
  exit 2 and one line naming the file and the line to fix.

Both read only regular files (a FIFO or ``/dev/zero`` in their place would hang or fill
the memory) of at most ``MAX_TOML_BYTES``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w

from ozonctl.errors import UsageError

MAX_TOML_BYTES = 64 * 1024 * 1024
"""The largest TOML file read (a journal step of 10,000 products is ~1 MB)."""

WarnFn = Callable[[str], None]


def _default_warn(message: str) -> None:
    import sys

    print(f"warning: {message}", file=sys.stderr)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    with atomic_open(path, mode=mode) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_open(path: Path, *, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``path`` when the block ends without an error (the
    temp file is fsynced, renamed over ``path``, the folder fsynced) and vanishes when it
    raises. For writing a large file piece by piece (``--csv``) with the same guarantees
    as ``atomic_write_bytes``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def write_toml(path: Path, data: dict[str, Any], *, mode: int = 0o644) -> dict[str, Any]:
    """Write ``data`` as TOML (``tomli_w``) atomically; None values are dropped (TOML
    has no null). Returns what was written (keys as strings, lists for tuples)."""
    clean: dict[str, Any] = _drop_none(data)
    atomic_write_bytes(path, tomli_w.dumps(clean).encode("utf-8"), mode=mode)
    return clean


def _drop_none(value: Any) -> Any:
    """A copy without None values, keys as strings, lists for tuples."""
    if isinstance(value, dict):
        return {str(k): _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value if v is not None]
    return value


def move_aside(path: Path, reason: str, warn: WarnFn | None = None) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    (warn or _default_warn)(f"{path} could not be read ({reason}); moved it to {target.name}")
    return target


def read_regular(path: Path, *, limit: int = MAX_TOML_BYTES) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    Opened without blocking and checked before reading, so a FIFO, a device (``/dev/zero``)
    or a socket put in a file's place is refused at once instead of hanging or filling
    the memory. ``FileNotFoundError`` when it does not exist."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(
                f"{path}: not a regular file (a device, FIFO or socket); ozonctl reads "
                "only plain files there",
                hint="put a plain file in its place",
            )
        if st.st_size > limit:
            raise UsageError(
                f"{path}: {st.st_size:,} bytes, more than the {limit:,} ozonctl reads",
                hint="is it the right file?",
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UsageError(f"{path}: more than {limit:,} bytes", hint="is it the right file?")
    return data


def read_toml(path: Path, *, warn: WarnFn | None = None) -> dict[str, Any]:
    """One of ozonctl's own state or cache files: its table, ``{}`` when it does not
    exist; one that does not parse is moved aside (ozonctl made it, ozonctl may move
    it). Never for a file the seller writes: see ``read_user_toml``."""
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return {}
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        move_aside(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, warn)
        return {}


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


def read_user_toml(path: Path) -> dict[str, Any]:
    """A file the seller writes (settings, credentials, thresholds): its table, ``{}``
    when it does not exist. A syntax error or text that is not UTF-8 stops with exit 2,
    naming the file and line; the file is left exactly where and as it is."""
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{path}: line {line}: not UTF-8 text",
            hint="save it as UTF-8; ozonctl left the file as it is",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "not valid TOML"
        found = _AT.search(first)
        where = "end of file"
        if found and found.group(1):
            where = f"line {found.group(1)}, column {found.group(2)}"
        reason = _AT.sub("", first).strip() or "not valid TOML"
        raise UsageError(
            f"{path}: {where}: {reason[:1].lower()}{reason[1:]}",
            hint="fix the file (TOML); ozonctl left it as it is",
        ) from None


def file_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return None
