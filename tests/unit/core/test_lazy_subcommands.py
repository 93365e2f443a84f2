"""Command groups make their commands on first use, and say the same as typer's own."""

from __future__ import annotations

import importlib

import pytest
import typer
from typer import _click
from typer.core import TyperGroup

from ozonctl._entry import main
from ozonctl.cli.app import GROUPS, _command_of, _Subcommands


def _shape(command: _click.Command) -> object:
    """What a user sees of a command: its name, help, options, and its subcommands'."""
    params = [(p.name, tuple(getattr(p, "opts", ())), p.required) for p in command.params]
    if isinstance(command, TyperGroup):
        ctx = _click.Context(command)
        subs = {n: _shape(command.get_command(ctx, n)) for n in command.list_commands(ctx)}  # type: ignore[arg-type]
        return (command.name, command.help, params, subs)
    return (command.name, command.help, params)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_group_is_what_typer_makes_of_it(group: str) -> None:
    app = importlib.import_module(GROUPS[group][0]).app
    eager, lazy = typer.main.get_command(app), _command_of(app)
    for command in (eager, lazy):  # as the root group keeps them
        command.params = [
            p for p in command.params if p.name not in ("install_completion", "show_completion")
        ]
    assert _shape(lazy) == _shape(eager)


def test_running_one_command_makes_only_that_one() -> None:
    from ozonctl.commands import listing

    group = _command_of(listing.app)
    assert isinstance(group, _Subcommands)
    ctx = _click.Context(group)
    assert group.get_command(ctx, "archive") is not None
    assert list(group.commands) == ["archive"]
    assert group.get_command(ctx, "nope") is None
    assert group.list_commands(ctx)[:4] == ["archive", "unarchive", "delete", "restore"]


def test_a_mistyped_command_still_gets_its_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["listing", "archiv"])
    assert exc.value.code == 2
    assert "Did you mean 'archive', 'unarchive'?" in capsys.readouterr().err
