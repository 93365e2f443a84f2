"""Atomic file writes and safe TOML reads.

A write goes to a temp file in the same folder (created with the final mode, so a secret
is never readable by others, not even for a moment), is fsynced, and replaces the target
with ``os.replace``; the folder is fsynced too. A file that does not parse is moved aside
to ``<name>.corrupt-<timestamp>`` with a warning, never silently overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w

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


def write_toml(path: Path, data: dict[str, Any], *, mode: int = 0o644) -> None:
    """Write ``data`` as TOML (``tomli_w``) atomically; None values are dropped (TOML
    has no null)."""
    atomic_write_bytes(path, tomli_w.dumps(_drop_none(data)).encode("utf-8"), mode=mode)


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


def read_toml(path: Path, *, warn: WarnFn | None = None) -> dict[str, Any]:
    """The file's table, ``{}`` when it does not exist; a corrupt file is moved aside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        move_aside(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, warn)
        return {}


def file_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return None
