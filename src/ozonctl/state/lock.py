"""The state lock: one ozonctl run at a time may read-modify-write a profile's state.

``flock`` on a lock file: released by the kernel when the process dies, so a crashed run
never leaves a stale lock. A second run fails at once with exit 5, or waits up to
``wait`` seconds (``--wait-lock``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from ozonctl.errors import LockHeldError


class StateLock:
    def __init__(self, path: Path, *, wait: float = 0.0, purpose: str = "") -> None:
        self.path = path
        self.wait = max(0.0, wait)
        self.purpose = purpose
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise LockHeldError(
                        f"another ozonctl run holds the lock {self.path}{holder}{waited}",
                        hint="wait for it to finish, or pass --wait-lock SECONDS",
                    ) from None
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        os.ftruncate(fd, 0)
        os.write(
            fd,
            f"pid={os.getpid()} since={time.strftime('%Y-%m-%dT%H:%M:%S')} "
            f"{self.purpose}\n".encode(),
        )
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f" ({text})" if text else ""
