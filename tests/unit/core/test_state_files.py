"""Atomic writes, corrupt files moved aside, the state lock, journals."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ozonctl.errors import LockHeldError, UsageError
from ozonctl.state.files import atomic_write_bytes, file_mode, read_toml, write_toml
from ozonctl.state.journal import Journal
from ozonctl.state.lock import StateLock


def test_write_toml_round_trips_and_drops_none(tmp_path: Path) -> None:
    path = tmp_path / "a" / "state.toml"
    write_toml(path, {"x": 1, "y": None, "t": {"z": [1, None, 2]}})
    assert read_toml(path) == {"x": 1, "t": {"z": [1, 2]}}


def test_secret_files_are_created_0600(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    write_toml(path, {"k": "v"}, mode=0o600)
    assert file_mode(path) == 0o600
    write_toml(path, {"k": "w"}, mode=0o600)
    assert file_mode(path) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.toml"
    write_toml(path, {"v": 1})

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(path, b"v = 2\n")
    monkeypatch.undo()
    assert read_toml(path) == {"v": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.toml"]


def test_a_killed_writer_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    write_toml(path, {"rows": list(range(10))})
    code = (
        "import sys; from pathlib import Path; from ozonctl.state.files import write_toml\n"
        "while True: write_toml(Path(sys.argv[1]), {'rows': list(range(200000))})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)])
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    rows = read_toml(path)["rows"]
    assert rows in (list(range(10)), list(range(200000)))


def test_a_corrupt_file_is_moved_aside_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("this is = = not toml")
    warnings: list[str] = []
    assert read_toml(path, warn=warnings.append) == {}
    assert not path.exists()
    aside = list(tmp_path.glob("config.toml.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "this is = = not toml"
    assert "moved it to" in warnings[0]


def test_missing_file_reads_empty(tmp_path: Path) -> None:
    assert read_toml(tmp_path / "nope.toml") == {}


def test_the_lock_is_exclusive(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    with StateLock(path, purpose="first"), pytest.raises(LockHeldError) as info:
        StateLock(path).acquire()
    assert "first" in info.value.message
    assert info.value.exit_code == 5
    with StateLock(path):
        pass


def test_the_lock_is_exclusive_across_processes_and_freed_when_the_holder_dies(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.lock"
    code = (
        "import sys, time; from pathlib import Path; from ozonctl.state.lock import StateLock\n"
        "l = StateLock(Path(sys.argv[1]), purpose='holder'); l.acquire(); print('held', "
        "flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(LockHeldError):
            StateLock(path).acquire()
        assert time.monotonic() - started < 0.5  # fails fast
        with pytest.raises(LockHeldError, match=r"after waiting 0\.3 s"):
            StateLock(path, wait=0.3).acquire()
    finally:
        proc.kill()
        proc.wait()
    with StateLock(path, wait=2):
        pass


def test_wait_lock_gets_the_lock_when_it_is_freed(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    code = (
        "import sys, time; from pathlib import Path; from ozonctl.state.lock import StateLock\n"
        "with StateLock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(0.5)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    with StateLock(path, wait=5):
        pass
    proc.wait()


def test_journal_operations(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "promo")
    op = journal.new("leave", action_id=7)
    op.record(1, "planned", {"ids": [1, 2]})
    op.record(1, "done", {"left": [1]})
    op.record(2, "planned", {"ids": [3]})
    op.update(status="interrupted")
    again = journal.get(op.ref)
    assert again.header["action_id"] == 7 and again.status == "interrupted"
    assert [(n, name) for n, name, _ in again.entries()] == [
        (1, "done"),
        (1, "planned"),
        (2, "planned"),
    ]
    assert journal.get("last").ref == op.ref
    assert journal.get(op.ref[:12]).ref == op.ref
    with pytest.raises(UsageError):
        journal.get("nope")
    assert file_mode(op.folder / "op.toml") == 0o600


def test_journal_steps_written_here_are_not_parsed_again_and_match_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decimal import Decimal

    from ozonctl.state import journal as journal_mod

    journal = Journal(tmp_path, "promo")
    op = journal.new("leave")
    data: dict[str, Any] = {
        "products": [{"id": 1, "price": "10.00", "note": None}],  # TOML has no null
        "ids": (1, 2),
        7: True,  # TOML keys are strings
    }
    op.record(0, "snapshot", data)
    data["products"].append({"id": 2})  # a caller changing its dict later changes nothing
    op.record(1, "done", {"price": Decimal("1.50")})  # not plain: read back from the file
    reads: list[Path] = []
    real = journal_mod.read_toml
    monkeypatch.setattr(journal_mod, "read_toml", lambda p: reads.append(p) or real(p))
    cached = op.entries()
    assert reads == []
    assert cached == [
        (0, "snapshot", {"products": [{"id": 1, "price": "10.00"}], "ids": [1, 2], "7": True}),
        (1, "done", {"price": 1.5}),  # as write_toml stores a Decimal
    ]
    assert journal.get(op.ref).entries() == cached  # what another process reads
