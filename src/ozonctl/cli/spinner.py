"""A spinner on stderr while a command waits for Ozon (docs/scripting.md, "Terminal").

``Output.waiting()`` arms it when a command builds its client: if nothing has been
written after about a second (``DELAY``), a rich spinner shows on stderr until the first
data, progress bar or prompt; a message pauses it and it comes back a second later if
the wait goes on. Only for a person: stdout and stderr terminals, no ``--json``; the
caller checks that.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

DELAY = 1.0
"""Seconds of silence before the spinner shows: a quick read never flickers."""
TEXT = "Waiting for Ozon…"


class Waiting:
    def __init__(self, console: Callable[[], Console], *, delay: float | None = None) -> None:
        self._console = console
        self._delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._live: Any = None
        self._done = False

    @property
    def showing(self) -> bool:
        return self._live is not None

    def arm(self) -> None:
        """Show the spinner after ``delay`` seconds unless something stops it first."""
        with self._lock:
            if self._done or self._timer is not None or self._live is not None:
                return
            delay = DELAY if self._delay is None else self._delay
            self._timer = threading.Timer(delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    def _show(self) -> None:
        with self._lock:
            self._timer = None
            if self._done or self._live is not None:
                return
            from rich.live import Live
            from rich.spinner import Spinner

            self._live = Live(
                Spinner("dots", TEXT),
                console=self._console(),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
                refresh_per_second=10,
            )
            self._live.start()

    def pause(self) -> bool:
        """Hide the spinner (and cancel a pending one); True when one was armed."""
        with self._lock:
            armed = self._timer is not None or self._live is not None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._live is not None:
                self._live.stop()
                self._live = None
            return armed

    def stop(self) -> None:
        """Hide it for good: the command's output has begun."""
        with self._lock:
            self._done = True
        self.pause()
