"""Run the root command and turn every failure into one line and an exit code."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer

from ozonctl.cli.context import app_context, env_flag, reset_app_context, stop_waiting
from ozonctl.errors import UsageError
from ozonctl.exitcodes import ExitCode


class ClosedStdin(io.TextIOBase):
    """``sys.stdin`` of a process started with stdin closed (Python leaves it None, and
    the next file opened would take descriptor 0): reading it, as text or bytes, is a
    usage error of one line; it is not a terminal. Descriptor 0 is /dev/null meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        with contextlib.suppress(OSError):
            os.fstat(0)
            return
        with contextlib.suppress(OSError):
            fd = os.open(os.devnull, os.O_RDONLY)
            if fd != 0:
                os.dup2(fd, 0)
                os.close(fd)

    @property
    def buffer(self) -> ClosedStdin:
        return self

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> str:
        raise UsageError(
            "stdin is closed, so there is nothing to read",
            hint="give the input on stdin (`< FILE`) or name a file",
        )

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self.read()


class OutputClosed(Exception):
    """stdout's reader went away (``BrokenPipeError`` from a command, which typer would
    turn into a silent exit 1)."""


def run(args: Sequence[str], prog_name: str = "ozonctl") -> int:
    """Run the command line ``args``; return the exit code.

    A reader that goes away (``ozonctl … | head``) is an ordinary error: the write to
    stdout raises ``BrokenPipeError`` where it happens, so the command unwinds as from
    any other error (the lock released, a file being written finished or removed),
    instead of SIGPIPE killing the process in the middle of it."""
    from ozonctl.cli.app import app

    if sys.stdin is None:  # started with stdin closed (`ozonctl … <&-`)
        sys.stdin = ClosedStdin()
    command = typer.main.get_command(app)
    try:
        code = _run(command, args, prog_name)
        sys.stdout.flush()  # what is still buffered, while the error can be reported
        return code
    except (BrokenPipeError, OutputClosed):
        return output_closed()
    finally:
        reset_app_context_safely()


def _run(command: Any, args: Sequence[str], prog_name: str) -> int:
    try:
        try:
            result = command.main(list(args), prog_name=prog_name, standalone_mode=False)
        except BaseException:
            stop_waiting()  # the spinner goes before the error line, not over it
            raise
        return int(result) if isinstance(result, int) else 0
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        print("\ninterrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except (BrokenPipeError, OutputClosed):
        return output_closed()
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        if is_usage_error(exc):
            _print_usage_error(exc)
            return ExitCode.USAGE
        if _is_command_line_error(exc):
            print(f"error: {exc.format_message()}", file=sys.stderr)  # type: ignore[attr-defined]
            return int(exc.exit_code) or ExitCode.ERROR  # type: ignore[attr-defined]
        return report_failure(exc)


def output_closed() -> int:
    """The reader of stdout went away: say so on stderr, exit 1.

    stdout becomes ``/dev/null`` (CPython's advice for ``BrokenPipeError``), so what is
    left in its buffer is not written again, and failed again, when the process ends."""
    with contextlib.suppress(OSError, ValueError):  # not a file (tests), or gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    with contextlib.suppress(OSError, ValueError):
        print(
            "error: the output was closed before everything was written (broken pipe)",
            file=sys.stderr,
            flush=True,
        )
    return ExitCode.ERROR


def reset_app_context_safely() -> None:
    with contextlib.suppress(Exception):  # closing must not hide the real outcome
        reset_app_context()


def _is_command_line_error(exc: BaseException) -> bool:
    """An error typer raises about the command line (its exception classes live in a
    private module, so they are known by their interface: ``format_message()`` and an
    ``exit_code``, as ``typer.BadParameter`` and ``typer.TyperException`` have)."""
    return callable(getattr(exc, "format_message", None)) and isinstance(
        getattr(exc, "exit_code", None), int
    )


def is_usage_error(exc: BaseException) -> bool:
    """A usage error (``typer.BadParameter`` and its kin: a bad option, a missing
    argument, an unknown command): typer's command-line errors with exit code 2."""
    return _is_command_line_error(exc) and getattr(exc, "exit_code", None) == ExitCode.USAGE


def _print_usage_error(exc: Any) -> None:
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    print(f"error: {exc.format_message()}{hint}", file=sys.stderr)


def report_failure(exc: BaseException) -> int:
    """Print one line for ``exc`` and return its exit code."""
    from ozonctl.cli.failures import describe
    from ozonctl.errors import Declined

    if isinstance(exc, Declined):
        print(exc.one_line(), file=sys.stderr)
        return int(exc.exit_code)
    debug = _debug_enabled()
    message, code = describe(exc)
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"error: {message}", file=sys.stderr)
    return int(code)


def _debug_enabled() -> bool:
    try:
        return app_context().debug or env_flag("OZONCTL_DEBUG")
    except Exception:  # noqa: BLE001
        return env_flag("OZONCTL_DEBUG")
