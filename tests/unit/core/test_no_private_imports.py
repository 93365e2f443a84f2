"""ozonctl imports no private module of the libraries it is built on (issue 17.3): typer
vendors click as ``typer._click`` and its maintainers advise against using it; httpx,
httpcore and pydantic keep their internals to themselves too. Nor does it reach into
CPython's undocumented json internals (``json.encoder.c_make_encoder`` and the like:
only ``json``'s documented names). Only the sandbox, a development server, may reach
further (it is not what a seller's command runs)."""

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


JSON_INTERNALS = ("json.encoder", "json.decoder", "json.scanner")
JSON_PUBLIC = {"JSONEncoder", "JSONDecoder", "JSONDecodeError"}
"""What of ``json``'s submodules the documentation names (also exported by ``json``)."""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def json_internals(path: Path, root: Path = SRC) -> list[str]:
    """Every use of an undocumented name of ``json``'s submodules in ``path``: an
    attribute (``json.encoder.c_make_encoder``), a ``getattr(json.encoder, "…")`` or an
    import from them."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and _dotted(node.value) in JSON_INTERNALS:
            name = f"{_dotted(node.value)}.{node.attr}"
            bad = node.attr not in JSON_PUBLIC
        elif (
            isinstance(node, ast.Call)
            and _dotted(node.func) == "getattr"
            and len(node.args) >= 2
            and _dotted(node.args[0]) in JSON_INTERNALS
        ):
            attr = node.args[1].value if isinstance(node.args[1], ast.Constant) else "?"
            name = f"{_dotted(node.args[0])}.{attr}"
            bad = attr not in JSON_PUBLIC
        elif isinstance(node, ast.ImportFrom) and node.module in JSON_INTERNALS:
            bad_names = [a.name for a in node.names if a.name not in JSON_PUBLIC]
            name = f"{node.module}.{','.join(bad_names)}"
            bad = bool(bad_names)
        else:
            continue
        if bad:
            found.append((node.lineno, f"{path.relative_to(root)}:{node.lineno} {name}"))
    return [hit for _, hit in sorted(found)]


def _sources() -> list[Path]:
    files = [p for p in SRC.rglob("*.py") if "sandbox" not in p.relative_to(SRC).parts]
    assert len(files) > 50
    return files


def test_no_private_module_of_a_library_is_imported() -> None:
    found = [hit for path in _sources() for hit in private_imports(path)]
    assert found == []


def test_no_undocumented_json_internal_is_used() -> None:
    found = [hit for path in _sources() for hit in json_internals(path)]
    assert found == []


def test_the_check_finds_json_internals(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import json\n"
        "make = getattr(json.encoder, 'c_make_encoder', None)\n"
        "quote = json.encoder.encode_basestring\n"
        "from json.scanner import py_make_scanner\n"
        "ok = json.encoder.JSONEncoder\n"
        "from json.decoder import JSONDecodeError\n"
    )
    assert json_internals(sample, tmp_path) == [
        "sample.py:2 json.encoder.c_make_encoder",
        "sample.py:3 json.encoder.encode_basestring",
        "sample.py:4 json.scanner.py_make_scanner",
    ]


def test_the_check_finds_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from typer import _click\nimport httpx._models\nimport typer\n")
    hits = private_imports(sample, tmp_path)
    assert hits == ["sample.py:1 typer._click", "sample.py:2 httpx._models"]
