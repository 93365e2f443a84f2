"""Run the real ``ozonctl`` on a pseudo-terminal of a given width (stdin, stdout and
stderr all a terminal, as a seller's shell has them) and read what it printed."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class TtyResult:
    code: int
    text: str  # stdout and stderr as the terminal showed them, \r\n turned into \n


def run_on_tty(
    args: list[str],
    env: dict[str, str],
    *,
    columns: int = 100,
    answer: str | None = None,
    timeout: float = 60,
) -> TtyResult:
    """``ozonctl ARGS`` on a pty ``columns`` wide; ``answer`` is typed once a prompt
    (a line ending in ``: `` or ``]``) shows."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full_env = {**env, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm"}
    full_env.pop("PAGER", None)
    full_env.setdefault("OZONCTL_PAGER", "")  # no pager in tests unless a test sets one
    proc = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=full_env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    answered = answer is None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
                if not answered and answer is not None:
                    tail = b"".join(chunks)[-200:].rstrip(b" ")
                    if tail.endswith((b":", b"]", b"?")):
                        os.write(leader, answer.encode() + b"\r")
                        answered = True
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return TtyResult(code, text)


def sandbox_env(sandbox: Any, home: Any) -> dict[str, str]:
    """The environment of the ``ozonctl`` fixture (the test's clean one) for ``sandbox``."""
    return {**os.environ, **sandbox.env, "OZONCTL_HOME": str(home)}
