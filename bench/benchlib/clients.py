"""The clients a bulk workload runs with: ozonctl and the peers, each with its own
default limiter and with that limiter lifted, and how one run of each is made."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib.peers_env import PEERS, Peer, title
from benchlib.procs import Measured, run_measured
from benchlib.sandbox import THIS, Build, Sandbox, Traffic, Window, python_env
from benchlib.workloads import Bulk, Inputs

PROFILES = {"default": "bench", "off": "bench-free"}
CONFIG_TOML = """\
# written by bench/: the client's defaults, and the same with its limiter lifted
[profiles.bench]

[profiles.bench-free]
rps = 0

[profiles.bench-free.per_minute]
"/v2/products/stocks" = 100000  # the most config.toml takes: no per-minute wait
"""
_SUMMARY = re.compile(r"^BENCH-SUMMARY (\{.*\})\s*$", re.M)


@dataclass(frozen=True, slots=True)
class Variant:
    client: str
    limiter: str
    build: Build | None = None
    """The ozonctl to run (None for a peer)."""

    @property
    def peer(self) -> Peer | None:
        return next((p for p in PEERS if p.name == self.client), None)

    @property
    def label(self) -> str:
        peer = self.peer
        if self.limiter == "off":
            return f"{title(self.client)}, limiter off"
        if self.build is not None:
            return f"{self.client} (50 req/s, burst 30; stocks 80 at once, then 80/min)"
        if peer is not None and peer.title:
            return peer.title
        return f"{self.client} ({peer.default_limiter})" if peer else self.client


def variants(
    peers: Sequence[Peer] = PEERS,
    *,
    lean: bool = False,
    defaults_only: bool = False,
    builds: tuple[Build, ...] = (THIS,),
) -> list[Variant]:
    """Each ozonctl build and each of ``peers``, with its default limiter and lifted
    (``lean``: peers lifted only, but the reference; ``defaults_only``: every client at
    its defaults only)."""
    ours = [Variant(b.client, lim, b) for b in builds for lim in ("default", "off")]
    theirs = [Variant(p.name, lim) for p in peers for lim in ("default", "off")]
    return [
        v
        for v in (*ours, *theirs)
        if not (defaults_only and v.limiter == "off")
        and not (lean and v.peer and not v.peer.reference and v.limiter == "default")
    ]


@dataclass(slots=True)
class RunResult:
    variant: Variant
    measured: Measured | None
    traffic: Traffic | None
    items: int | None = None
    problem: str | None = None
    unavailable: str | None = None
    sandbox_restarts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.unavailable is None
            and self.problem is None
            and bool(self.measured and self.measured.ok)
        )

    def as_dict(self) -> dict[str, Any]:
        m = self.measured
        return {
            "client": self.variant.client,
            "limiter": self.variant.limiter,
            "ok": self.ok,
            "unavailable": self.unavailable,
            "problem": self.problem,
            "wall_s": m.wall_s if m else None,
            "peak_rss_mb": m.peak_rss_mb if m else None,
            "cpu_s": m.cpu_s if m else None,
            "returncode": m.returncode if m else None,
            "stdout_bytes": m.stdout_bytes if m else None,
            "first_byte_s": m.first_byte_s if m else None,
            "items": self.items,
            "traffic": self.traffic.as_dict() if self.traffic else None,
            **self.extra,
        }


def write_home(home: Path, template: Path | None = None) -> Path:
    """A fresh ``OZONCTL_HOME`` (a copy of ``template`` when given: a built index)."""
    if home.exists():
        shutil.rmtree(home)
    if template is not None:
        shutil.copytree(template, home)
    else:
        home.mkdir(parents=True)
    (home / "config.toml").write_text(CONFIG_TOML)
    return home


def ozonctl_env(home: Path, sandbox: Sandbox, limiter: str) -> dict[str, str]:
    env = python_env()
    env.update(sandbox.env)
    env.update(
        OZONCTL_HOME=str(home),
        OZONCTL_PROFILE=PROFILES[limiter],
        NO_COLOR="1",
        CI="true",
        COLUMNS="120",
    )
    return env


def run_once(
    work: Bulk,
    variant: Variant,
    inp: Inputs,
    sandbox: Sandbox,
    scratch: Path,
    *,
    template: Path | None,
    keep_output: bool,
    timeout_s: float,
) -> RunResult:
    """One measured run of ``work`` with ``variant`` against ``sandbox`` (``template``: the
    home with the catalogue index built by that variant's ozonctl)."""
    out_file = (
        scratch / f"out-{work.key}-{variant.client}-{variant.limiter}.json".replace(" ", "_")
        if keep_output
        else None
    )
    if variant.build is not None:
        home = write_home(scratch / "home", template if work.needs_index else None)
        argv = [str(variant.build.ozonctl), *work.ozonctl(inp)]
        env = ozonctl_env(home, sandbox, variant.limiter)
    else:
        peer = variant.peer
        assert peer is not None
        argv = [
            str(peer.python), str(peer.adapter), *work.peer(inp),
            "--base-url", sandbox.url,
            "--client-id", sandbox.env["OZON_CLIENT_ID"],
            "--api-key", sandbox.env["OZON_API_KEY"],
            "--limiter", variant.limiter,
        ]  # fmt: skip
        env = python_env()
    window = Window(sandbox).open()
    measured = run_measured(argv, env=env, cwd=scratch, keep_stdout=out_file, timeout_s=timeout_s)
    try:
        traffic: Traffic | None = window.close()
    except OSError:  # the sandbox died under the run (the caller restarts it)
        traffic = None
    result = RunResult(variant, measured, traffic)
    summary = _peer_summary(measured.stderr_tail)
    if summary.get("unavailable"):
        result.unavailable = str(summary["unavailable"])
        return result
    if variant.build is None:
        result.items = summary.get("items")
        if summary.get("errors"):
            result.problem = (
                f"{summary['errors']} failed: {'; '.join(summary.get('samples', [])[:2])}"
            )
    elif out_file is not None and measured.ok:
        result.items = _count_json(out_file)
    if not measured.ok and result.problem is None:
        last = measured.stderr_tail.strip().splitlines()[-1:] or [""]
        result.problem = f"exit {measured.returncode}: {last[0][:300]}"
        if measured.returncode < 0 and measured.wall_s >= timeout_s:
            result.problem = f"timed out: killed after {timeout_s:.0f} s"
    expected = work.expected_items(inp)
    if result.problem is None and expected is not None and result.items not in (None, expected):
        result.problem = f"{result.items} items, expected {expected}"
    if traffic is None and result.problem is None:
        result.problem = "the sandbox stopped answering"
    if result.problem is None and work.check_state is not None:
        result.problem = work.check_state(sandbox, inp)
    return result


def _peer_summary(stderr: str) -> dict[str, Any]:
    found = _SUMMARY.findall(stderr)
    if not found:
        return {}
    try:
        data = json.loads(found[-1])
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _count_json(path: Path) -> int | None:
    """Rows in ozonctl's ``--json`` output: an array, or a document with a list in it."""
    try:
        data = json.loads(path.read_bytes() or b"null")
    except ValueError:
        return None
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                return len(value)
    return None
