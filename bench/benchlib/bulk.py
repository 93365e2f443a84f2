"""Workloads 2–4: each bulk workload with every client, against the sandbox without a
rate limit and at Ozon's 50 requests a second; several rounds, clients interleaved."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib.clients import RunResult, Variant, ozonctl_env, run_once, write_home
from benchlib.peers_env import Log
from benchlib.sandbox import THIS, Build, Sandbox
from benchlib.stats import Summary
from benchlib.workloads import Bulk, Inputs, floor_s, rate_floor_s

BUCKET_REFILL_S = 1.1
"""Seconds for the rate-limited sandbox's per-second bucket to fill from empty (its
capacity is one second's worth), with a margin."""


@dataclass(slots=True)
class Cell:
    """Every run of one workload with one client against one sandbox."""

    variant: Variant
    runs: list[RunResult] = field(default_factory=list)

    @property
    def unavailable(self) -> str | None:
        return next((r.unavailable for r in self.runs if r.unavailable), None)

    def good(self) -> list[RunResult]:
        return [r for r in self.runs if r.ok]

    def summary(self, attr: str) -> Summary | None:
        values: list[float] = []
        for r in self.runs:
            if r.unavailable or r.measured is None:
                continue
            if attr == "wall_s":
                values.append(r.measured.wall_s)
            elif attr == "rss":
                values.append(r.measured.peak_rss_mb)
            elif attr == "cpu_s" and r.measured.cpu_s is not None:
                values.append(r.measured.cpu_s)
            elif attr == "first_byte_s" and r.measured.first_byte_s is not None:
                values.append(r.measured.first_byte_s)
            elif attr == "requests" and r.traffic:
                values.append(r.traffic.requests)
            elif attr == "connections" and r.traffic and r.traffic.connections is not None:
                values.append(r.traffic.connections)
            elif attr == "server_cpu_s" and r.traffic and r.traffic.server_cpu_s is not None:
                values.append(r.traffic.server_cpu_s)
            elif attr == "rate_limited" and r.traffic:
                values.append(r.traffic.by_status.get("429", 0))
        return Summary.of(values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "client": self.variant.client,
            "limiter": self.variant.limiter,
            "label": self.variant.label,
            "unavailable": self.unavailable,
            "runs": [r.as_dict() for r in self.runs],
            **{
                k: (s.as_dict() if (s := self.summary(k)) else None)
                for k in (
                    "wall_s",
                    "cpu_s",
                    "server_cpu_s",
                    "rss",
                    "requests",
                    "connections",
                    "rate_limited",
                    "first_byte_s",
                )
            },
        }


@dataclass(slots=True)
class WorkloadResult:
    work: Bulk
    sandbox_label: str
    minimum: dict[str, int]
    minimum_total: int
    minimum_note: str
    minimum_lower: int | None
    floor_s: float
    rate_floor_s: float
    chain: int
    latency_ms: float
    cells: list[Cell]
    ozonctl_missing: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "workload": self.work.key,
            "title": self.work.title,
            "sandbox_rate_limit": self.sandbox_label,
            "minimum": self.minimum,
            "minimum_total": self.minimum_total,
            "minimum_note": self.minimum_note,
            "minimum_lower": self.minimum_lower,
            "floor_s": self.floor_s,
            "rate_floor_s": self.rate_floor_s,
            "chain": self.chain,
            "latency_ms": self.latency_ms,
            "ozonctl_missing": self.ozonctl_missing,
            "cells": [c.as_dict() for c in self.cells],
        }


def ozonctl_has(probe: list[str], build: Build = THIS) -> bool:
    proc = subprocess.run([str(build.ozonctl), *probe], capture_output=True, timeout=60)
    return proc.returncode == 0


def build_template(
    sandbox: Sandbox,
    scratch: Path,
    log: Log,
    build: Build = THIS,
    limiters: tuple[str, ...] = ("default", "off"),
) -> tuple[Path, dict[str, Any]]:
    """An ``OZONCTL_HOME`` whose profiles already have the catalogue index (``ozonctl
    sync`` of ``build``, as a nightly job would run first: each build reads the index it
    writes); its cost is reported on its own."""
    from benchlib.procs import run_measured
    from benchlib.sandbox import Window

    template = write_home(scratch / f"template-home{'-' + build.tag if build.tag else ''}")
    info: dict[str, Any] = {}
    for limiter in limiters:
        window = Window(sandbox).open()
        m = run_measured(
            [str(build.ozonctl), "sync", "--json"],
            env=ozonctl_env(template, sandbox, limiter),
            cwd=scratch,
            timeout_s=900,
        )
        traffic = window.close()
        if not m.ok:
            raise RuntimeError(f"ozonctl sync failed: {m.stderr_tail[-800:]}")
        info[limiter] = {
            "wall_s": m.wall_s,
            "peak_rss_mb": m.peak_rss_mb,
            "traffic": traffic.as_dict(),
        }
        log(f"sync {build.client} ({limiter}): {m.wall_s:.2f} s, {traffic.requests} requests")
    return template, info


def run_workload(
    work: Bulk,
    inp: Inputs,
    sandbox: Sandbox,
    all_variants: list[Variant],
    scratch: Path,
    *,
    rounds: int,
    templates: dict[str, Path],
    timeout_s: float,
    log: Log,
    peer_rounds: int | None = None,
) -> WorkloadResult:
    """Every round of ``work`` with every variant, interleaved; ``templates``: each
    build's home with its index (by tag); the peers but the reference run ``peer_rounds``
    (default: all)."""
    minimum = work.minimum(inp)
    result = WorkloadResult(
        work,
        sandbox.label,
        minimum.by_path,
        minimum.total,
        minimum.note,
        minimum.lower,
        floor_s(minimum.by_path, minimum.chain, sandbox.latency_ms / 1000),
        rate_floor_s(minimum.by_path),
        minimum.chain,
        sandbox.latency_ms,
        [Cell(v) for v in all_variants],
    )
    for build in {c.variant.build for c in result.cells if c.variant.build is not None}:
        if not ozonctl_has(work.probe, build):
            result.ozonctl_missing = (
                f"`{build.client} " + " ".join(work.probe[:-1]) + "` does not exist"
            )
            result.cells = [c for c in result.cells if c.variant.build != build]
    if not work.fresh_state:  # reads: one unmeasured run warms the sandbox's caches
        first = result.cells[0].variant if result.cells else None
        if first is not None:
            run_once(
                work,
                first,
                inp,
                sandbox,
                scratch,
                template=_template(templates, first),
                keep_output=False,
                timeout_s=timeout_s,
            )
    for n in range(rounds):
        for cell in result.cells:
            peer = cell.variant.peer
            if cell.unavailable or (
                peer and not peer.reference and peer_rounds is not None and n >= peer_rounds
            ):
                continue
            if work.fresh_state:
                sandbox.start()
            elif sandbox.rps:
                # a read runs on the sandbox the run before it used: give its per-second
                # bucket (capacity = one second's worth) the time to fill again, so each
                # run starts as a job started alone does, not in the last one's wake
                time.sleep(BUCKET_REFILL_S)
            res = _run_guarded(
                work,
                cell.variant,
                inp,
                sandbox,
                scratch,
                _template(templates, cell.variant),
                n == 0,
                timeout_s,
            )
            cell.runs.append(res)
            wall = f"{res.measured.wall_s:.2f} s" if res.measured else "—"
            reqs = res.traffic.requests if res.traffic else "?"
            state = "ok" if res.ok else (res.unavailable and "n/a") or f"PROBLEM {res.problem}"
            log(
                f"{work.key} [{sandbox.label}] round {n + 1} {cell.variant.label}: {wall}, {reqs} req, {state}"
            )
    return result


def _template(templates: dict[str, Path], variant: Variant) -> Path | None:
    return templates.get(variant.build.tag) if variant.build is not None else None


def _run_guarded(
    work: Bulk,
    variant: Variant,
    inp: Inputs,
    sandbox: Sandbox,
    scratch: Path,
    template: Path | None,
    keep: bool,
    timeout_s: float,
) -> RunResult:
    """One run; if the sandbox process died under it, restart it and run once more."""

    def once() -> RunResult:
        return run_once(
            work,
            variant,
            inp,
            sandbox,
            scratch,
            template=template,
            keep_output=keep,
            timeout_s=timeout_s,
        )

    res = once()
    if sandbox.proc is not None and sandbox.proc.poll() is not None:
        sandbox.start()
        res = once()
        res.sandbox_restarts = 1
    return res
