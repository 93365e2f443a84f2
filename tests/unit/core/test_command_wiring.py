"""Every command group is wired the same way (issue 17.7): the package imports its
subcommand modules and registers them on its ``app``; no module of a group imports the
group's package back (the import cycle ``listing`` had)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ozonctl.commands

COMMANDS = Path(ozonctl.commands.__file__).parent
PACKAGES = sorted(p.parent.name for p in COMMANDS.glob("*/__init__.py"))


@pytest.mark.parametrize("group", PACKAGES)
def test_no_module_of_a_group_imports_its_package(group: str) -> None:
    package = f"ozonctl.commands.{group}"
    back = []
    for path in sorted((COMMANDS / group).glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == package:
                names = [a.name for a in node.names]
                if "app" in names or any(n.endswith("_app") for n in names):
                    back.append(f"{path.name}:{node.lineno}")
    assert back == []


def test_the_listing_group_lists_its_commands_in_order() -> None:
    import typer

    from ozonctl.commands.listing import app

    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    assert group.list_commands(ctx) == [  # type: ignore[attr-defined]
        "archive", "unarchive", "delete", "restore", "list", "show", "history", "margin",
        "stale", "delist-stale", "price", "stock",
    ]  # fmt: skip
