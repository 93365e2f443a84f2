"""The real ``ozonctl`` console script coerces its option values without typer's pydantic
adapters (``ozonctl.cli._coercion``): ``python -X importtime`` lists every module the
process imported. Values that need typer's own coercion still get it, and bad values
typer's one-line usage errors with exit code 2, as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(sys.executable).with_name("ozonctl")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    modules: set[str]


def run_script(*args: str, env: dict[str, str] | None = None) -> Run:
    """The console script under ``python -X importtime`` (the conftest fixtures keep the
    environment clean and point OZONCTL_HOME at the test's own home)."""
    if not SCRIPT.exists():
        pytest.skip(f"no console script at {SCRIPT}")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    modules: set[str] = set()
    stderr: list[str] = []
    for line in proc.stderr.splitlines(keepends=True):
        if line.startswith("import time:"):
            modules.add(line.rsplit("|", 1)[1].strip())
        else:
            stderr.append(line)
    assert "typer.core" in modules  # the import list was read
    return Run(proc.returncode, proc.stdout, "".join(stderr), modules)


@pytest.mark.parametrize("args", [["config", "show"], ["--json", "config", "show"]])
def test_a_command_without_pydantic_of_its_own_imports_none(args: list[str]) -> None:
    r = run_script(*args)
    assert r.exit_code == 0, r.stderr
    assert "typer._adapters" not in r.modules
    assert not {m for m in r.modules if m.split(".")[0] in ("pydantic", "pydantic_core")}


def test_hot_commands_build_no_typer_adapter(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    # their own code may still use pydantic models; typer's coercion must not
    stock = ozonctl("listing", "stock", "show", "--json").json()
    offers = sorted({row["offer_id"] for row in stock})[:3]
    warehouse = str(stock[0]["warehouse_id"])
    tokens = tmp_path / "offers.txt"
    tokens.write_text("\n".join(offers) + "\n")
    csv = tmp_path / "stock.csv"
    csv.write_text("offer_id,stock\n" + "".join(f"{o},5\n" for o in offers))
    env = {**sandbox.env, "OZONCTL_PROFILE": "sandbox"}
    commands = [
        ["listing", "archive", "--from-file", str(tokens), "--dry-run", "--yes", "--json"],
        ["listing", "stock", "import", str(csv), "--warehouse", warehouse, "--dry-run", "--yes"],
        ["promo", "leave", "71003", "--all", "--dry-run", "--yes", "--json"],
    ]
    for args in commands:
        r = run_script(*args, env=env)
        assert r.exit_code == 0, (args, r.stderr)
        assert "typer._adapters" not in r.modules, args
    for write in ("/v1/product/archive", "/v2/products/stocks", "/v1/actions/products/deactivate"):
        assert not sandbox.requests(write)  # dry runs


# Captured from the console script before ozonctl.cli._coercion existed.
WAIT_LOCK = "error: Invalid value for '--wait-lock' (env var: 'OZONCTL_WAIT_LOCK'): "
USAGE_ERRORS = [
    (
        ["--wait-lock", "abc", "config", "show"],
        {},
        WAIT_LOCK + "Input should be a valid number, unable to parse string as a number"
        " (see 'ozonctl --help')",
    ),
    (
        ["--wait-lock", "-1", "config", "show"],
        {},
        WAIT_LOCK + "Input should be greater than or equal to 0 (see 'ozonctl --help')",
    ),
    (
        ["--wait-lock", "nan", "config", "show"],
        {},
        WAIT_LOCK + "Input should be greater than or equal to 0 (see 'ozonctl --help')",
    ),
    (
        ["config", "show"],
        {"OZONCTL_WAIT_LOCK": "x"},
        WAIT_LOCK + "Input should be a valid number, unable to parse string as a number"
        " (see 'ozonctl --help')",
    ),
    (
        ["config", "show"],
        {"OZONCTL_JSON": "maybe"},
        "error: Invalid value for '--json' (env var: 'OZONCTL_JSON'): Input should be a valid"
        " boolean, unable to interpret input (see 'ozonctl --help')",
    ),
    (
        ["promo", "leave", "abc", "--all", "--yes", "--json"],
        {},
        "error: Invalid value for 'ID': Input should be a valid integer, unable to parse string"
        " as an integer (see 'ozonctl promo leave --help')",
    ),
    (
        ["listing", "stale", "--no-sales-days", "0", "--json"],
        {},
        "error: Invalid value for '--no-sales-days': Input should be greater than or equal to 1"
        " (see 'ozonctl listing stale --help')",
    ),
    (
        ["sandbox", "serve", "--port", "70000"],
        {},
        "error: Invalid value for '--port': Input should be less than or equal to 65535"
        " (see 'ozonctl sandbox serve --help')",
    ),
]


@pytest.mark.parametrize(("args", "env", "message"), USAGE_ERRORS)
def test_bad_values_get_typers_usage_error(
    args: list[str], env: dict[str, str], message: str
) -> None:
    r = run_script(*args, env=env)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", message + "\n")
    assert "typer._adapters" in r.modules  # typer's own coercion said it


def test_values_typer_itself_coerces_still_work() -> None:
    r = run_script("--wait-lock", "2.5", "config", "show", env={"OZONCTL_JSON": "1"})
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["profile"] == "default"
    assert "typer._adapters" in r.modules
