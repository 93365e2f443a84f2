"""The state lock: one ozonctl run at a time may read-modify-write a profile's state.

``flock`` on a lock file: released by the kernel when the process dies, so a crashed run
never leaves a stale lock. A second run fails at once with exit 5, or waits up to
``wait`` seconds (``--wait-lock``).

The file is opened without following a symlink (``O_NOFOLLOW``) and used only when it is a
plain file of ours with one name: a symlink or hard link planted in its place would
otherwise have ozonctl write (and empty) the file it points at. One lock per Client-Id
(``Paths.lock_file``): profiles of the same shop share it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from pathlib import Path
from types import TracebackType

from ozonctl.errors import LockHeldError, OzonctlError

_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def open_lock_file(path: Path) -> int:
    """The lock file's descriptor; refuses a symlink, a hard link, a special file or a
    file of another user in its place (changing nothing there)."""
    try:
        fd = os.open(path, _FLAGS | os.O_NONBLOCK, 0o600)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise _unsafe(path, "a symlink") from None
        raise
    st = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(st.st_mode):
        problem = "not a plain file"
    elif st.st_nlink != 1:
        problem = f"a file with {st.st_nlink} names (a hard link)"
    elif st.st_uid != os.geteuid():
        problem = f"owned by another user (uid {st.st_uid})"
    if problem is not None:
        os.close(fd)
        raise _unsafe(path, problem)
    return fd


def _unsafe(path: Path, what: str) -> OzonctlError:
    return OzonctlError(
        f"the lock file {path} is {what}; ozonctl did not use it and changed nothing",
        hint=f"remove it (`rm {path}`) if no ozonctl run is going, then run again",
    )


class StateLock:
    def __init__(self, path: Path, *, wait: float = 0.0, purpose: str = "") -> None:
        self.path = path
        self.wait = max(0.0, wait)
        self.purpose = purpose
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = open_lock_file(self.path)
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
