"""The console script. Kept tiny: ``--version`` answers without importing typer, and
every failure becomes one line on stderr and a documented exit code."""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (--version stays light)
if TYPE_CHECKING:
    from collections.abc import Sequence

_BOOL_GLOBALS = frozenset(
    {"--json", "--yes", "-y", "--dry-run", "--no-input", "--debug", "--no-color"}
)
_VALUE_GLOBALS = frozenset({"--profile", "-p", "--base-url", "--wait-lock", "--json-fields"})


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move global options given after the command to the front, so that
    ``ozonctl promo list --json`` means ``ozonctl --json promo list``.

    Stops at ``--``; a value option takes its value with it. ``--json=FIELDS`` (gh's
    field selection) is ``--json --json-fields FIELDS``."""
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
        if name == "--json" and "=" in arg:
            front.extend(("--json", "--json-fields", arg.split("=", 1)[1]))
        elif seen_command and arg in _BOOL_GLOBALS:
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


def skip_pydantic_plugins() -> None:
    """Run without pydantic plugins, and without looking for them, through pydantic's
    documented switch ``PYDANTIC_DISABLE_PLUGINS`` (a value the user set is kept).

    pydantic looks for plugins (entry points of the ``pydantic`` group) when it builds
    its first model, importing ``importlib.metadata`` and reading every installed
    distribution's metadata; ozonctl uses no plugin. Only the console script does this:
    importing ozonctl changes nothing in the host process."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


GC_THRESHOLD0 = 100000
"""Container allocations between young-generation collections (CPython's default: 700)."""


def tune_gc() -> None:
    """Collect garbage cycles less often: a command's data is long-lived and acyclic.

    A bulk command allocates hundreds of thousands of containers (the catalogue index's
    rows, 10,000 results, JSON pages) and frees nearly all of them by reference
    counting. With CPython's default thresholds (700, 10, 10) the cycle collector then
    runs hundreds of times, each older-generation pass re-walking everything still alive
    (figures in docs/performance.md). Objects created while
    starting up are moved out of its sight (``gc.freeze``), and the young generation
    is collected every 100,000 allocations: two or three passes a command. Cycles are
    still collected; memory of a 100,000-product listing stays where it was."""
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD0, second, third)


def spare_shutdown() -> None:
    """Leave what the finished command still holds to the process's exit: the objects
    alive now are moved out of the cycle collector's sight (``gc.freeze``), so the
    interpreter's shutdown frees them by reference counting without first walking every
    one of them (pydantic's schemas, typer's command tree, the command's data) for
    cycles. The exit stays normal: threads are joined, ``atexit`` runs, and the standard
    streams are flushed; ozonctl's own files are written and closed before the command
    returns."""
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from ozonctl import __version__

        sys.stdout.write(f"ozonctl {__version__}\n")
        sys.exit(0)
    skip_pydantic_plugins()
    from ozonctl.cli.run import run

    tune_gc()
    code = run(hoist_global_options(args))
    spare_shutdown()
    sys.exit(code)
