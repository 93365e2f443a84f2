"""The console script. Kept tiny: ``--version`` answers without importing typer, and
every failure becomes one line on stderr and a documented exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence

_BOOL_GLOBALS = frozenset(
    {"--json", "--yes", "-y", "--dry-run", "--no-input", "--debug", "--no-color"}
)
_VALUE_GLOBALS = frozenset({"--profile", "-p", "--base-url", "--wait-lock"})


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move global options given after the command to the front, so that
    ``ozonctl promo list --json`` means ``ozonctl --json promo list``.

    Stops at ``--``; a value option takes its value with it."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_command = False
    args = list(args)
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0]
        if seen_command and arg in _BOOL_GLOBALS:
            front.append(arg)
        elif seen_command and name in _VALUE_GLOBALS:
            front.append(arg)
            if "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            if not arg.startswith("-"):
                seen_command = True
            elif not seen_command and name in _VALUE_GLOBALS and "=" not in arg:
                rest.append(arg)
                if i + 1 < len(args):
                    rest.append(args[i + 1])
                    i += 1
                i += 1
                continue
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from ozonctl import __version__

        sys.stdout.write(f"ozonctl {__version__}\n")
        sys.exit(0)
    from ozonctl.cli.run import run

    sys.exit(run(hoist_global_options(args)))
