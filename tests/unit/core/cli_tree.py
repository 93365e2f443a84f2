"""Every command of the CLI as (path, click command), for tests that walk them all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command (not group), depth first, lazily loaded groups loaded."""
    import typer
    from typer.core import TyperGroup

    from ozonctl.cli.app import app

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        if not isinstance(command, TyperGroup):
            yield path, command
            return
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), (*path, name))

    yield from walk(typer.main.get_command(app), ())


def options(command: Any, *, hidden: bool = False) -> set[str]:
    """The option names of ``command`` (visible ones only unless ``hidden``)."""
    return {
        name
        for p in command.params
        if hidden or not getattr(p, "hidden", False)
        for name in (*p.opts, *p.secondary_opts)
        if name.startswith("--")
    }
