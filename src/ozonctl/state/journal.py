"""Journals of what ozonctl changed, one folder per operation.

``state/<profile>/journal/<area>/<ref>/`` holds ``op.toml`` (what, when, status, meta) and
one small TOML file per step (``0001-planned.toml``, ``0001-done.toml`` …), each written
atomically. Appending a step never rewrites earlier ones, so a journal of 100 batches
costs 100 small writes, and a run killed between two writes leaves every finished step
on disk: a rerun reads them and goes on where it stopped.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozonctl.errors import UsageError
from ozonctl.state.files import atomic_write_bytes, read_toml, write_toml

OP_FILE = "op.toml"


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Operation:
    ref: str
    folder: Path
    header: dict[str, Any]
    _steps: list[tuple[int, str, dict[str, Any]]] | None = field(default=None, repr=False)
    """The steps as read or written by this process (the writer holds the state lock,
    so no one else adds any): ``entries`` does not parse the files again."""
    _steps_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Threads of one run may record steps at once (each file is its own)."""

    @property
    def status(self) -> str:
        return str(self.header.get("status", "unknown"))

    def update(self, **fields: Any) -> None:
        self.header.update(fields)
        self.header["updated"] = now_iso()
        write_toml(self.folder / OP_FILE, self.header, mode=0o600)

    def record(self, step: int, name: str, data: dict[str, Any]) -> None:
        """Write step ``step``'s ``name`` entry (e.g. 3, "planned")."""
        path = self.folder / f"{step:05d}-{name}.toml"
        written = write_toml(path, data, mode=0o600)
        with self._steps_lock:
            self._add_step(step, name, path, written)

    def record_text(self, step: int, name: str, data: dict[str, Any], text: str) -> None:
        """``record`` of ``data`` whose TOML the caller made ahead (``text``, which
        ``tomllib`` reads back as ``data``), e.g. while the run was waiting on Ozon."""
        path = self.folder / f"{step:05d}-{name}.toml"
        atomic_write_bytes(path, text.encode("utf-8"), mode=0o600)
        with self._steps_lock:
            self._add_step(step, name, path, data)

    def _add_step(self, step: int, name: str, path: Path, written: dict[str, Any]) -> None:
        if self._steps is not None:
            self._steps = [s for s in self._steps if (s[0], s[1]) != (step, name)]
            # as a reader of the file sees it (string keys, lists, no None): what was
            # written when it holds only strings, integers, booleans, lists and tables
            # (a snapshot of 5,000 products is not parsed back), else the file read back
            seen = written if _plain(written) else read_toml(path)
            self._steps.append((step, name, seen))
            self._steps.sort(key=lambda s: (s[0], s[1]))

    def entries(self) -> list[tuple[int, str, dict[str, Any]]]:
        if self._steps is None:
            out: list[tuple[int, str, dict[str, Any]]] = []
            for path in sorted(self.folder.glob("[0-9]*-*.toml")):
                number, _, name = path.stem.partition("-")
                if number.isdigit():
                    out.append((int(number), name, read_toml(path)))
            self._steps = out
        return list(self._steps)


def _plain(value: Any) -> bool:
    """Whether ``tomllib`` reads ``value`` back as ``tomli_w`` got it: tables, lists,
    strings, integers and booleans only (a float, date or Decimal may come back as
    another type or value)."""
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return type(value) in (str, int, bool)


def _order(op: Operation) -> tuple[str, int, str]:
    """Oldest first: by creation time, then by ``seq`` within one second (journals written
    before ``seq`` existed sort first there), then by ref."""
    seq = op.header.get("seq", 0)
    return str(op.header.get("created", "")), seq if isinstance(seq, int) else 0, op.ref


class Journal:
    """The operations of one area (``promo``, ``listing``, ``order`` …) of one profile."""

    def __init__(self, root: Path, area: str) -> None:
        self.root = root / "journal" / area
        self.area = area

    def new(self, kind: str, **meta: Any) -> Operation:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        # what secrets.token_hex(2) is, without loading secrets (and hmac) for it
        ref = f"{kind}-{stamp}-{os.urandom(2).hex()}"
        folder = self.root / ref
        folder.mkdir(parents=True, exist_ok=False)
        os.chmod(folder, 0o700)
        header = {
            "ref": ref,
            "kind": kind,
            "created": now_iso(),
            "seq": time.time_ns(),  # orders operations made within the same second
            "status": "running",
            **meta,
        }
        op = Operation(ref, folder, header, [])
        op.update()
        return op

    def all(self) -> list[Operation]:
        if not self.root.is_dir():
            return []
        ops = []
        for folder in sorted(self.root.iterdir()):
            if (folder / OP_FILE).is_file():
                ops.append(Operation(folder.name, folder, read_toml(folder / OP_FILE)))
        ops.sort(key=_order)
        return ops

    def get(self, ref: str, *, kind: str | None = None) -> Operation:
        """By full ref, unique prefix, or ``last`` (the newest, of ``kind`` if given)."""
        ops = [o for o in self.all() if kind is None or o.header.get("kind") == kind]
        if ref == "last":
            if not ops:
                raise UsageError(f"no {kind or self.area} operations in the journal yet")
            return ops[-1]
        matches = [o for o in ops if o.ref == ref] or [o for o in ops if o.ref.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UsageError(f"no journal entry {ref!r}", hint=f"see `ozonctl {self.area} history`")
        raise UsageError(
            f"journal ref {ref!r} is ambiguous ({len(matches)} match)",
            hint="give more characters of it",
        )
