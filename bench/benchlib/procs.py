"""Run one child process and measure it: wall time, peak memory (the child's own
``ru_maxrss`` from ``wait4``), exit status, stdout size and time to its first byte."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 16
GNU_TIME = Path("/usr/bin/time")
"""GNU time reports the child's own peak RSS. ``wait4`` on a child that Python started
is not enough: Python spawns with vfork/posix_spawn, and Linux keeps the high-water mark
of the image replaced by ``exec`` (the harness's own ~20 MB) in ``ru_maxrss``."""


@dataclass(slots=True)
class Measured:
    argv: list[str]
    wall_s: float
    peak_rss_mb: float
    returncode: int
    cpu_s: float | None = None
    """The child's user + system CPU time (GNU time), the client's own work."""
    stdout_bytes: int = 0
    first_byte_s: float | None = None
    stderr_tail: str = ""
    stdout_path: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _drain(stream: object, started: float, keep: Path | None, out: dict[str, object]) -> None:
    """Read a pipe to its end, counting bytes and noting when the first one came."""
    read = stream.read  # type: ignore[attr-defined]
    total = 0
    sink = keep.open("wb") if keep is not None else None
    try:
        while True:
            chunk = read(CHUNK)
            if not chunk:
                break
            if total == 0:
                out["first_byte_s"] = time.perf_counter() - started
            total += len(chunk)
            if sink is not None:
                sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    out["bytes"] = total


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin_path: Path | None = None,
    keep_stdout: Path | None = None,
    stdout_devnull: bool = False,
    timeout_s: float = 900.0,
) -> Measured:
    """Start ``argv``, wait for it (killing it after ``timeout_s``) and measure it.

    stdout goes to /dev/null with ``stdout_devnull`` (exactly ``> /dev/null``), else
    through a pipe that is drained and counted (and saved to ``keep_stdout``)."""
    argv = list(argv)
    rss_file: Path | None = None
    launch = argv
    if GNU_TIME.exists():
        rss_file = Path(tempfile.mkstemp(prefix="bench-rss-")[1])
        launch = [str(GNU_TIME), "-o", str(rss_file), "-f", "%M %U %S", *argv]
    stdin = stdin_path.open("rb") if stdin_path is not None else subprocess.DEVNULL
    err_path = (
        Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-stderr-{os.getpid()}-{time.monotonic_ns()}"
    )
    err = err_path.open("wb")
    out: dict[str, object] = {}
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(
            launch,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.DEVNULL if stdout_devnull else subprocess.PIPE,
            stderr=err,
            start_new_session=True,
        )
        reader: threading.Thread | None = None
        if proc.stdout is not None:
            reader = threading.Thread(
                target=_drain, args=(proc.stdout, started, keep_stdout, out), daemon=True
            )
            reader.start()
        status, rusage = _wait4(proc, started, timeout_s)
        wall = time.perf_counter() - started
        if reader is not None:
            reader.join(timeout=30)
    finally:
        err.close()
        if stdin_path is not None and not isinstance(stdin, int):
            stdin.close()
    tail = err_path.read_text(errors="replace")[-4000:]
    err_path.unlink(missing_ok=True)
    cpu: float | None = None
    if rss_file is not None:
        lines = rss_file.read_text().strip().splitlines()
        rss_file.unlink(missing_ok=True)
        fields = lines[-1].split() if lines else []
        if len(fields) == 3 and fields[0].isdigit():
            rusage = int(fields[0])
            cpu = float(fields[1]) + float(fields[2])
    return Measured(
        argv=argv,
        wall_s=wall,
        peak_rss_mb=rusage / 1024.0,
        returncode=status,
        cpu_s=cpu,
        stdout_bytes=int(out.get("bytes", 0)),  # type: ignore[call-overload]
        first_byte_s=out.get("first_byte_s"),  # type: ignore[arg-type]
        stderr_tail=tail,
        stdout_path=keep_stdout,
    )


def _wait4(proc: subprocess.Popen[bytes], started: float, timeout_s: float) -> tuple[int, int]:
    """Block in ``wait4`` for the child (its own peak RSS, in KiB); a timer kills it
    after ``timeout_s`` so the wait is bounded."""

    def kill_group() -> None:  # the child and what it started (GNU time's child)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    killer = threading.Timer(max(0.0, started + timeout_s - time.perf_counter()), kill_group)
    killer.daemon = True
    killer.start()
    try:
        _, status, rusage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, rusage.ru_maxrss
