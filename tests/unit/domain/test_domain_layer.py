"""The domain layer (issue 17.7): the work behind the commands takes a client, settings
and paths, never the CLI's context, and imports nothing of ``ozonctl.cli`` or
``ozonctl.commands``; the concurrency helpers live in one module outside ``client/``."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

import ozonctl

SRC = Path(ozonctl.__file__).parent


def ozonctl_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m for m in found if m.startswith("ozonctl")}


@pytest.mark.parametrize(
    "module",
    [
        "domain/__init__.py",
        "domain/ledger.py",
        "domain/cancel_guard.py",
        "domain/margin.py",
        "concurrency.py",
    ],
)
def test_domain_modules_know_nothing_of_the_cli(module: str) -> None:
    imported = ozonctl_imports(SRC / module)
    cli = {m for m in imported if m.split(".")[:2] in (["ozonctl", "cli"], ["ozonctl", "commands"])}
    assert not cli


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
