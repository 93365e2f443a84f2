"""Exit codes: each means one thing, documented in --help and docs/."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Success, an empty result included."""
    ERROR = 1
    """An error: the API refused, the network failed, a file could not be read."""
    USAGE = 2
    """Bad command line or bad input value."""
    PARTIAL = 3
    """A bulk write partly failed; the failed items are listed."""
    AUTH = 4
    """Authentication or permission: missing credentials, 401, 403."""
    LOCKED = 5
    """Another ozonctl run holds the state lock."""
    ATTENTION = 6
    """A check found something to act on (``order at-risk --fail-if-any``)."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C or SIGINT)."""


EXIT_CODES_HELP = (
    "Exit codes: 0 ok (empty result included), 1 error, 2 usage, "
    "3 bulk write partly failed, 4 authentication/permission, 5 lock held by another run, "
    "6 a check found something to act on (order at-risk --fail-if-any), 130 interrupted."
)
