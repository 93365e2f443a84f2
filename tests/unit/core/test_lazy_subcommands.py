"""The root group imports a command group only when it runs; the group itself is what
typer makes of it (no fork of typer's or click's group internals)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup

from ozonctl._entry import main
from ozonctl.cli.app import GROUPS, app


def _root() -> tuple[TyperGroup, typer.Context]:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    return root, typer.Context(root)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_group_is_typers_own_command(group: str) -> None:
    root, ctx = _root()
    command = root.get_command(ctx, group)
    assert command is not None
    assert type(command) in (TyperGroup, typer.core.TyperCommand)  # typer's own classes
    eager = typer.main.get_command(importlib.import_module(GROUPS[group][0]).app)
    assert command.name == group
    assert type(command) is type(eager)
    if isinstance(command, TyperGroup):
        assert command.list_commands(ctx) == eager.list_commands(ctx)  # type: ignore[attr-defined]
    names = {p.name for p in command.params}
    assert not names & {"install_completion", "show_completion"}


def test_root_help_imports_no_command_group() -> None:
    code = (
        "import sys\nfrom ozonctl.cli.run import run\nrun(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('ozonctl.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_an_unknown_group_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["lsiting"])
    assert exc.value.code == 2
    assert "No such command 'lsiting'" in capsys.readouterr().err


def test_a_mistyped_command_still_gets_its_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["listing", "archiv"])
    assert exc.value.code == 2
    assert "Did you mean 'archive', 'unarchive'?" in capsys.readouterr().err
