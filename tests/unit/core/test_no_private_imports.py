"""ozonctl imports no private module of the libraries it is built on (issue 17.3): typer
vendors click as ``typer._click`` and its maintainers advise against using it; httpx,
httpcore and pydantic keep their internals to themselves too. Only the sandbox, a
development server, may reach further (it is not what a seller's command runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import ozonctl

LIBRARIES = {"typer", "click", "httpx", "httpcore", "pydantic", "pydantic_core", "anyio"}
SRC = Path(ozonctl.__file__).parent


def private_imports(path: Path, root: Path = SRC) -> list[str]:
    """``module`` for every import of ``library._private`` (or a ``_name`` from a
    library) in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] in LIBRARIES and any(p.startswith("_") for p in parts[1:]):
                found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    return found


def test_no_private_module_of_a_library_is_imported() -> None:
    files = [p for p in SRC.rglob("*.py") if "sandbox" not in p.relative_to(SRC).parts]
    assert len(files) > 50
    found = [hit for path in files for hit in private_imports(path)]
    assert found == []


def test_the_check_finds_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from typer import _click\nimport httpx._models\nimport typer\n")
    hits = private_imports(sample, tmp_path)
    assert hits == ["sample.py:1 typer._click", "sample.py:2 httpx._models"]
