"""Shared fixtures.

- Every test gets its own ``OZONCTL_HOME`` and a clean environment (no real credentials,
  no CI flag, no colours), so nothing touches the user's files.
- ``cli`` runs ozonctl in-process (fast; for unit tests of commands).
- ``sandbox`` starts the real ``ozonctl sandbox serve`` process on a free loopback port;
  ``ozonctl`` runs the real ``ozonctl`` process against it (end-to-end tests).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CLEAN_ENV_VARS = (
    "OZONCTL_HOME",
    "OZONCTL_PROFILE",
    "OZON_API_URL",
    "OZON_CLIENT_ID",
    "OZON_API_KEY",
    "OZONCTL_JSON",
    "OZONCTL_YES",
    "OZONCTL_DRY_RUN",
    "OZONCTL_NO_INPUT",
    "OZONCTL_DEBUG",
    "OZONCTL_WAIT_LOCK",
    "CI",
    "NO_COLOR",
    "FORCE_COLOR",
)
SANDBOX_TODAY = "2026-11-27"


@pytest.fixture(autouse=True)
def ozonctl_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in CLEAN_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "ozonctl-home"
    monkeypatch.setenv("OZONCTL_HOME", str(home))
    return home


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


@pytest.fixture
def cli() -> Any:
    """``cli("promo", "list", "--json", input="...")`` → Result, run in this process."""

    def run(*args: str, input: str = "") -> Result:
        from ozonctl._entry import hoist_global_options
        from ozonctl.cli.run import run as run_cli

        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        sys.stdin = io.StringIO(input)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run_cli(hoist_global_options(list(args)))
        finally:
            sys.stdin = old_stdin
        return Result(code, out.getvalue(), err.getvalue())

    return run


@dataclass
class Sandbox:
    base_url: str
    client_id: str
    api_key: str
    process: subprocess.Popen[str]
    env: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Any:
        import httpx

        return httpx.get(self.base_url + path, timeout=10).json()

    def post(self, path: str, body: Any = None) -> Any:
        import httpx

        return httpx.post(self.base_url + path, json=body, timeout=10).json()

    def environ(self, home: Path) -> dict[str, str]:
        """The clean environment of an ``ozonctl`` run against this sandbox."""
        clean = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_VARS}
        return {**clean, **self.env, "OZONCTL_HOME": str(home)}

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        """The sandbox's request log (optionally only calls to ``path``)."""
        log = self.get("/__sandbox/requests")
        entries = log["requests"] if isinstance(log, dict) else log
        return [e for e in entries if path is None or e["path"] == path]


def start_sandbox(*args: str) -> Sandbox:
    cmd = [
        sys.executable,
        "-m",
        "ozonctl",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--today",
        SANDBOX_TODAY,
        *args,
    ]
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_VARS}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    values: dict[str, str] = {}
    assert proc.stdout is not None
    for _ in range(20):
        line = proc.stdout.readline()
        if not line:
            break
        line = line.strip()
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            values[key] = value.strip("'\"")
        if {"OZON_API_URL", "OZON_CLIENT_ID", "OZON_API_KEY"} <= values.keys():
            break
    if "OZON_API_URL" not in values:
        proc.kill()
        raise RuntimeError(f"sandbox did not start: {proc.stderr.read() if proc.stderr else ''}")
    return Sandbox(
        values["OZON_API_URL"],
        values["OZON_CLIENT_ID"],
        values["OZON_API_KEY"],
        proc,
        env={k: values[k] for k in ("OZON_API_URL", "OZON_CLIENT_ID", "OZON_API_KEY")},
    )


def stop_sandbox(sb: Sandbox) -> None:
    sb.process.terminate()
    try:
        sb.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        sb.process.kill()
        sb.process.wait()


@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh sandbox process (300 products, seed 1). Mark a test with
    ``@pytest.mark.sandbox_args("--products", "2000")`` to pass other flags."""
    marker = request.node.get_closest_marker("sandbox_args")
    args = tuple(marker.args) if marker else ()
    sb = start_sandbox(*args)
    try:
        yield sb
    finally:
        stop_sandbox(sb)


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    """One sandbox process for every test of a module that only reads the shop (one
    start-up instead of one a test)."""
    sb = start_sandbox()
    try:
        yield sb
    finally:
        stop_sandbox(sb)


@pytest.fixture
def ozonctl(sandbox: Sandbox, ozonctl_home: Path) -> Any:
    """Run the real ``ozonctl`` process against ``sandbox``:
    ``ozonctl("listing", "list", "--json", input=None, env={...}, timeout=60)``."""

    def run(
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Result:
        full_env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_VARS}
        full_env.update(sandbox.env)
        full_env["OZONCTL_HOME"] = str(ozonctl_home)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "ozonctl", *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


# -- what the oracle tests fed through the client (tests/contract/ozon_oracle.py) -------
# Workers (pytest-xdist) send their counts home in ``workeroutput``; the run prints the
# sum at its end.
_ORACLE: dict[str, Any] = {"counts": {}, "methods": set()}


def _oracle_here() -> dict[str, Any]:
    mod = sys.modules.get("ozon_oracle")
    if mod is None:
        return {"counts": {}, "methods": []}
    return {"counts": dict(mod.COUNTS), "methods": sorted(mod.METHODS)}


def _oracle_add(found: dict[str, Any] | None) -> None:
    for key, n in (found or {}).get("counts", {}).items():
        _ORACLE["counts"][key] = _ORACLE["counts"].get(key, 0) + n
    _ORACLE["methods"].update((found or {}).get("methods", []))


def pytest_sessionfinish(session: pytest.Session) -> None:
    out = getattr(session.config, "workeroutput", None)
    if out is not None:
        out["ozon_oracle"] = _oracle_here()
    else:
        _oracle_add(_oracle_here())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _oracle_add(getattr(node, "workeroutput", {}).get("ozon_oracle"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _ORACLE["methods"]:
        return
    from ozonctl.client.endpoints import ENDPOINTS

    c = _ORACLE["counts"]
    terminalreporter.write_line(
        f"Ozon's document as the oracle: {len(_ORACLE['methods'])} of {len(ENDPOINTS)} "
        f"methods covered; examples parsed: {c.get('examples documented', 0)} documented "
        f"+ {c.get('examples built', 0)} built from schemas; generated bodies tried: "
        f"{c.get('generated', 0)}; error answers: {c.get('errors', 0)}; command outputs "
        f"checked: {c.get('command outputs', 0)}; sandbox answers checked: "
        f"{c.get('sandbox answers', 0)}"
    )
