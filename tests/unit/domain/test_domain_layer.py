"""The domain layer (issue 17.7): the work behind the commands (``ozonctl.domain``: the
payout ledger, the cancel guard, the archiving engine, the promotion runs) and the
catalogue take a client, settings and paths, never the CLI's context, and import nothing
of ``ozonctl.cli``, ``ozonctl.commands`` or typer; the concurrency helpers live in one
module outside ``client/``."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

import ozonctl

SRC = Path(ozonctl.__file__).parent


def all_imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top, in a function or for type checking."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def ozonctl_imports(path: Path) -> set[str]:
    return {m for m in all_imports(path) if m.startswith("ozonctl")}


def cli_imports(path: Path) -> set[str]:
    """What ``path`` imports of the CLI: ``ozonctl.cli`` (the context, output),
    ``ozonctl.commands`` or typer/click (option parsing)."""
    return {
        m
        for m in all_imports(path)
        if m.split(".")[:2] in (["ozonctl", "cli"], ["ozonctl", "commands"])
        or m.split(".")[0] in ("typer", "click")
    }


LAYER = [
    *sorted(
        str(p.relative_to(SRC))
        for p in [*(SRC / "domain").glob("*.py"), *(SRC / "catalog").glob("*.py")]
    ),
    "concurrency.py",
]


def test_the_layer_holds_the_moved_engines() -> None:
    assert {
        "domain/archiving.py",
        "domain/archive_restore.py",
        "domain/promo_runs.py",
        "catalog/index.py",
        "catalog/sales.py",
    } <= set(LAYER)
    assert not (SRC / "commands" / "promo" / "runner.py").exists()
    assert not (SRC / "commands" / "listing" / "_archiving.py").exists()


@pytest.mark.parametrize("module", LAYER)
def test_domain_and_catalogue_modules_know_nothing_of_the_cli(module: str) -> None:
    assert cli_imports(SRC / module) == set()


def test_the_check_finds_a_cli_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import typer\n"
        "if TYPE_CHECKING:\n"
        "    from ozonctl.cli.context import AppContext\n"
        "def f():\n"
        "    from ozonctl.commands.listing._common import Outcome\n"
    )
    assert cli_imports(sample) == {
        "typer",
        "ozonctl.cli.context",
        "ozonctl.commands.listing._common",
    }


def test_the_concurrency_helpers_live_outside_the_client() -> None:
    from ozonctl import concurrency

    assert {"pipeline", "in_background", "ordered_map"} <= set(vars(concurrency))
    assert not (SRC / "client" / "pipeline.py").exists()


def test_the_cancel_threshold_is_resolved_without_a_cli_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ozonctl.domain.cancel_guard import DEFAULT_THRESHOLD, THRESHOLD_ENV, resolve_threshold

    monkeypatch.delenv(THRESHOLD_ENV, raising=False)
    assert resolve_threshold(None) == (DEFAULT_THRESHOLD, "ozonctl default")
    assert resolve_threshold(None, "3") == (Decimal("3"), "config")
    assert resolve_threshold("7%", "3") == (Decimal("7"), "--threshold")
    monkeypatch.setenv(THRESHOLD_ENV, "4")
    assert resolve_threshold(None, "3") == (Decimal("4"), THRESHOLD_ENV)
