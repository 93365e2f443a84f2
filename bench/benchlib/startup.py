"""Workload 1: start-up. ``ozonctl --version``, ``--help`` and one real read command,
beside a bare ``python -c pass`` of the same interpreter, interleaved round by round so
that every ratio comes from the same run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchlib.clients import write_home
from benchlib.procs import Measured, run_measured
from benchlib.sandbox import PYTHON, THIS, Build, Sandbox, python_env
from benchlib.stats import Summary

WARMUP_ROUNDS = 3
GOALS_MS = {"version": 80.0, "help": 200.0}


@dataclass(slots=True)
class StartupCase:
    key: str
    title: str
    argv: list[str]
    needs_sandbox: bool = False


def cases(builds: tuple[Build, ...] = (THIS,)) -> list[StartupCase]:
    """Bare python, then each build's commands (keys ``version``, ``help``, ``read`` for
    this checkout's, ``version before-17`` … for another build's)."""
    out = [StartupCase("bare", "python -c pass (same interpreter)", [str(PYTHON), "-c", "pass"])]
    for b in builds:
        at = f" {b.tag}" if b.tag else ""
        exe, name = str(b.ozonctl), b.client
        out += [
            StartupCase("version" + at, f"{name} --version", [exe, "--version"]),
            StartupCase("help" + at, f"{name} --help", [exe, "--help"]),
            StartupCase(
                "read" + at,
                f"{name} --profile sandbox promo list (pipe, real HTTP)",
                [exe, "--profile", "sandbox", "promo", "list"],
                needs_sandbox=True,
            ),
        ]
    return out


def run(
    sandbox: Sandbox, scratch: Path, rounds: int, builds: tuple[Build, ...] = (THIS,)
) -> dict[str, Any]:
    home = write_home(scratch / "startup-home")
    env = python_env()
    env.update(OZONCTL_HOME=str(home), NO_COLOR="1", OZON_API_URL=sandbox.url)
    results: dict[str, list[Measured]] = {c.key: [] for c in cases(builds)}
    for n in range(WARMUP_ROUNDS + rounds):
        for case in cases(builds):
            m = run_measured(case.argv, env=env, cwd=scratch, timeout_s=60)
            if not m.ok:
                raise RuntimeError(f"{case.title} failed: {m.stderr_tail[-500:]}")
            if n >= WARMUP_ROUNDS:
                results[case.key].append(m)
    out: dict[str, Any] = {"rounds": rounds, "cases": {}}
    bare = [m.wall_s for m in results["bare"]]
    for case in cases(builds):
        runs = results[case.key]
        walls = [m.wall_s for m in runs]
        over = [w - b for w, b in zip(walls, bare, strict=True)]
        out["cases"][case.key] = {
            "title": case.title,
            "argv": case.argv[1:],
            "wall": _d(Summary.of(walls)),
            "over_bare": _d(Summary.of(over)),
            "peak_rss_mb": _d(Summary.of(m.peak_rss_mb for m in runs)),
            "goal_ms": GOALS_MS.get(case.key.split()[0]),
        }
    return out


def _d(summary: Summary | None) -> dict[str, float | int] | None:
    return summary.as_dict() if summary else None
