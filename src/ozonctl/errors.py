"""User-facing errors: one line that says what was wrong and what to do, and an exit code.

Every error ozonctl shows a user derives from :class:`OzonctlError`. The client's own
exception tree (``ozonctl.client.errors``) is mapped to these at the CLI edge.
"""

from __future__ import annotations

from ozonctl.exitcodes import ExitCode


class OzonctlError(Exception):
    """An error with a one-line message, an optional hint and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None, exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def one_line(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(OzonctlError):
    exit_code = ExitCode.USAGE


class Declined(OzonctlError):
    """The user answered no to a confirmation: nothing was sent. Printed as it is (no
    ``error:``, it is the user's choice), exit 1 so a wrapper does not read it as done."""


class AuthError(OzonctlError):
    exit_code = ExitCode.AUTH


class LockHeldError(OzonctlError):
    exit_code = ExitCode.LOCKED


class PartialFailure(OzonctlError):
    """A bulk write where some items failed; the command has already listed them."""

    exit_code = ExitCode.PARTIAL
