"""Long output on a terminal goes through a pager, as gh does.

The pager is ``OZONCTL_PAGER`` (empty: none), else ``PAGER``, else ``less -FRX`` (``-F``
quits when the text fits one screen, ``-R`` keeps colours, ``-X`` leaves the text on
the screen). A ``less`` given without options gets ``LESS=FRX`` when ``LESS`` is unset.
It is used only when stdout is a terminal and the output is longer than the screen:
never in a pipe, a file or with ``--json``.

A pager the reader quits early (``q``) is not an error: the rest of the output is
dropped and the command ends as it would have. A pager that cannot be started is
skipped and the output goes straight to the terminal.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Iterator, Mapping
from typing import IO, cast

DEFAULT = "less -FRX"


def command(env: Mapping[str, str] | None = None) -> list[str] | None:
    """The pager to run, as arguments; None when paging is switched off."""
    env = os.environ if env is None else env
    text = env.get("OZONCTL_PAGER")
    if text is None:
        text = env.get("PAGER", DEFAULT)
    try:
        args = shlex.split(text)
    except ValueError:
        return None
    if not args or os.path.basename(args[0]) == "cat":
        return None
    return args


class _Quiet:
    """The pager's stdin; a write after the reader quit is dropped, not raised."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if self.closed_by_reader:
            return len(text)
        try:
            return self._stream.write(text)
        except (BrokenPipeError, OSError):
            self.closed_by_reader = True
            return len(text)

    def flush(self) -> None:
        if self.closed_by_reader:
            return
        try:
            self._stream.flush()
        except (BrokenPipeError, OSError):
            self.closed_by_reader = True

    def isatty(self) -> bool:
        return True  # what is written is for the terminal the pager shows it on

    def fileno(self) -> int:
        return self._stream.fileno()


@contextlib.contextmanager
def paged(args: list[str]) -> Iterator[IO[str] | None]:
    """A stream into the pager ``args`` (None when it cannot be started: write to
    stdout then); waits for the pager to end."""
    env = dict(os.environ)
    if os.path.basename(args[0]) == "less" and len(args) == 1:
        env.setdefault("LESS", "FRX")
    try:
        proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8", errors="replace"
        )
    except OSError:
        yield None
        return
    assert proc.stdin is not None
    stream = _Quiet(proc.stdin)
    try:
        yield cast(IO[str], stream)
    finally:
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.close()
        proc.wait()
