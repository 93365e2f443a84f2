"""``listing archive`` as a real process: ozonctl's own code on this path imports no
pydantic. Stock writes and ``promo leave`` use the pydantic models of every other read
and write (issue 17.2): stock writes are run here for what they do, not for what they
import.

The modules are read from ``-X importtime`` (``PYTHONPROFILEIMPORTTIME``): each import
with its nesting, so a pydantic module is traced to the module that imported it. typer
may import pydantic for its own use (``typer._adapters``); none may come through an
``ozonctl`` module, and ``ozonctl.client.models.common``/``.products`` (pydantic models)
must not be loaded at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WAREHOUSE = 1020000901234000
PYDANTIC_MODELS = (
    "ozonctl.client.models.common",
    "ozonctl.client.models.products",
    "ozonctl.client.models.promos",
)


def imports(stderr: str) -> list[tuple[int, str]]:
    """``(depth, module)`` of each import, in ``-X importtime``'s order (a module's own
    imports are listed before it, one level deeper)."""
    out = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1]
            if name.strip() == "imported package":
                continue
            out.append(((len(name) - len(name.lstrip()) - 1) // 2, name.strip()))
    return out


def importers(found: list[tuple[int, str]], k: int) -> list[str]:
    """The modules whose import led to ``found[k]``'s, nearest first."""
    chain = []
    depth = found[k][0]
    for d, name in found[k + 1 :]:
        if d < depth:
            chain.append(name)
            depth = d
    return chain


def check_no_pydantic_of_ours(stderr: str) -> None:
    found = imports(stderr)
    assert len(found) > 50, "no -X importtime output"
    names = {name for _, name in found}
    assert not names & set(PYDANTIC_MODELS)
    pydantic = [k for k, (_, name) in enumerate(found) if name.split(".")[0] == "pydantic"]
    chains = {found[k][1]: importers(found, k) for k in pydantic}
    ours = {m: c for m, c in chains.items() if any(i.split(".")[0] == "ozonctl" for i in c)}
    assert not ours, f"pydantic imported through ozonctl: {ours}"
    if "typer._adapters" not in names:  # typer imports none of it: nobody may
        assert not pydantic, [found[k][1] for k in pydantic]


def test_stock_writes_work_and_archive_imports_no_pydantic(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    assert ozonctl("sync").exit_code == 0
    rows = ozonctl("listing", "list", "--limit", "6", "--json").json()
    offers = [r["offer_id"] for r in rows]
    csv = tmp_path / "stock.csv"
    csv.write_text(
        "offer_id,warehouse_id,stock\n"
        + "".join(f"{o},{WAREHOUSE},{7 + k}\n" for k, o in enumerate(offers[:3])),
        encoding="utf-8",
    )
    env = {"PYTHONPROFILEIMPORTTIME": "1"}

    r = ozonctl("listing", "stock", "import", str(csv), "--yes", "--json")
    assert r.exit_code == 0, r.stderr[-2000:]
    assert [i["result"] for i in r.json()["items"]] == ["updated"] * 3
    assert sandbox.get(f"/__sandbox/state/product/{offers[2]}")["present"][0] == 9

    r = ozonctl("listing", "stock", "set", offers[3], "5", "-w", str(WAREHOUSE), "--yes")
    assert r.exit_code == 0, r.stderr[-2000:]

    file = tmp_path / "archive.txt"
    file.write_text("\n".join(offers[4:]) + "\n", encoding="utf-8")
    r = ozonctl("listing", "archive", "--from-file", str(file), "--yes", "--json", env=env)
    assert r.exit_code == 0, r.stderr[-2000:]
    assert [i["result"] for i in r.json()["items"]] == ["archived"] * 2
    check_no_pydantic_of_ours(r.stderr)


def test_the_import_check_sees_pydantic_of_ours(sandbox: Any, ozonctl: Any) -> None:
    """The check is not blind: ``listing list`` reads cards through pydantic."""
    assert ozonctl("sync").exit_code == 0
    r = ozonctl("listing", "list", "--limit", "2", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.exit_code == 0
    with pytest.raises(AssertionError):
        check_no_pydantic_of_ours(r.stderr)
