"""Benchmark ozonctl against the sandbox, side by side with ozonapi-async and ozon-sdk.

    .venv/bin/python bench/run.py [--quick] [--workloads startup,index,list,...]

Starts ``ozonctl sandbox serve`` (100,000 products; a second one with ``--rps 50 --latency 80``
for the rate-limited runs), runs every workload, and writes a table of figures to stdout,
``bench/results/latest.md`` and ``bench/results/latest.json``. See docs/performance.md.
Everything talks to 127.0.0.1 only; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import bulk, index_load, peers_env, report, shopfacts, startup
from benchlib.clients import variants
from benchlib.sandbox import PYTHON, ROOT, SEED, THIS, TODAY, Build, Sandbox
from benchlib.workloads import WORKLOADS, Inputs

ALL = ("startup", "index", *WORKLOADS)
RESULTS = ROOT / "bench" / "results"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--quick", action="store_true", help="1 round of each bulk run, 5 start-up rounds"
    )
    p.add_argument(
        "--workloads", default=",".join(ALL), help=f"comma-separated, of: {', '.join(ALL)}"
    )
    p.add_argument("--rounds", type=int, help="rounds of each bulk run (default 3)")
    p.add_argument("--startup-rounds", type=int, help="start-up and index rounds (default 20)")
    p.add_argument("--rate", default="off,50", help="sandbox rate limits to run: off and/or 50")
    p.add_argument(
        "--latency",
        type=float,
        default=80.0,
        help="ms the rate-limited sandbox adds to every answer (Ozon's round trip; default 80)",
    )
    p.add_argument("--no-peers", action="store_true", help="ozonctl only")
    p.add_argument(
        "--peers",
        default=",".join(peer.name for peer in peers_env.PEERS),
        help="comma-separated peers to run beside ozonctl (default: all; 'httpx' is the "
        "reference client, bench/peers/bare_peer.py)",
    )
    p.add_argument(
        "--lean-at-limit",
        action="store_true",
        help="against the 50/s sandbox run the peers only with their limiter lifted (their "
        "defaults, 27/s and 2/s a method, stay under 50/s, so they run as without a limit)",
    )
    p.add_argument(
        "--defaults-only",
        action="store_true",
        help="every client at its default limiter only (no 'limiter off' runs)",
    )
    p.add_argument(
        "--ozonctl",
        action="append",
        default=[],
        metavar="TAG=DIR",
        help="also run the ozonctl of checkout DIR (its own .venv), labelled 'ozonctl TAG', "
        "beside this one, round by round (e.g. before-17=/work/before17)",
    )
    p.add_argument(
        "--peer-rounds", type=int, help="rounds of each peer (default: --rounds); the slow peers"
    )
    p.add_argument(
        "--into",
        type=Path,
        metavar="FILE",
        help="with --render: put the before/after section into FILE between its markers",
    )
    p.add_argument("--products", type=int, default=100_000)
    p.add_argument("--timeout", type=float, default=900.0, help="seconds one run may take")
    p.add_argument("--validate", action="store_true", help="sandbox checks bodies against the spec")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--render", type=Path, metavar="JSON", help="only re-render a results JSON")
    args = p.parse_args()
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.startup_rounds = args.startup_rounds or (5 if args.quick else 20)
    chosen = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in ALL]
    if unknown:
        p.error(f"unknown workload(s): {', '.join(unknown)}; known: {', '.join(ALL)}")
    args.chosen = chosen
    names = [] if args.no_peers else [n.strip() for n in args.peers.split(",") if n.strip()]
    args.peers = [peer for peer in peers_env.PEERS if peer.name in names]
    if len(args.peers) < len(set(names)):
        p.error(f"--peers: known peers are {', '.join(x.name for x in peers_env.PEERS)}")
    args.rates = [None if r.strip() == "off" else int(r) for r in args.rate.split(",") if r.strip()]
    builds = [THIS]
    for spec in args.ozonctl:
        tag, sep, folder = spec.partition("=")
        root = Path(folder).expanduser().resolve()
        if not sep or not tag.strip() or " " in tag or not (root / ".venv/bin/ozonctl").exists():
            p.error(f"--ozonctl {spec!r}: give TAG=DIR, DIR a checkout with .venv/bin/ozonctl")
        builds.append(Build(tag.strip(), root))
    args.builds = tuple(builds)
    return args


def machine(sandbox_command: str) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    version = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ozonctl"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_kb / 1024 / 1024,
        "python": platform.python_version(),
        "ozonctl": version.removeprefix("ozonctl "),
        "commit": commit + ("+uncommitted src changes" if dirty else ""),
        "load_before": _load(),
        "load_after": None,
        "sandbox_command": sandbox_command,
    }


def _commit(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=root
    ).stdout.strip()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def write_results(out: Path, data: dict[str, Any], *, final: bool) -> str:
    """latest.json and latest.md (also after each workload, so a cut-short run keeps
    what it measured)."""
    out.mkdir(parents=True, exist_ok=True)
    data["complete"] = final
    (out / "latest.json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    text = report.render(data)
    (out / "latest.md").write_text(text)
    return text


def main() -> int:
    args = parse_args()
    if args.render is not None:
        saved = json.loads(args.render.read_text())
        if args.into is not None:
            report.put_into(args.into, report.before_after(saved))
            print(f"{args.into}: before/after section replaced from {args.render}")
            return 0
        print(write_results(args.out, saved, final=saved.get("complete", True)))
        return 0
    log = peers_env.Log()
    scratch = Path(tempfile.mkdtemp(prefix="ozonctl-bench-"))
    sandboxes = {
        rate: Sandbox(
            args.products,
            rate,
            latency_ms=args.latency if rate else 0.0,
            log_dir=scratch,
            validate=args.validate,
        )
        for rate in [None, 50]
    }
    data: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "products": args.products,
        "seed": SEED,
        "today": TODAY,
        "validate": args.validate,
        "rounds": args.rounds,
        "startup_rounds": args.startup_rounds,
        "lean_at_limit": args.lean_at_limit,
        "defaults_only": args.defaults_only,
        "peer_rounds": args.peer_rounds,
        "timeout_s": args.timeout,
        "latency_ms": args.latency,
        "builds": {b.client: f"{b.root} at {_commit(b.root)}" for b in args.builds},
        "peers": [],
        "workloads": [],
    }
    data["machine"] = machine(
        " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sandboxes[None].argv()))
    )
    started = time.monotonic()
    try:
        if any(w in WORKLOADS for w in args.chosen):
            for peer in args.peers:
                data["peers"].append(f"{peer.name} {peers_env.ensure(peer, log)}")
        off = sandboxes[None]
        if "startup" in args.chosen:
            log("start-up")
            off.start()
            data["startup"] = startup.run(off, scratch, args.startup_rounds, args.builds)
        if "index" in args.chosen:
            for build in args.builds:
                log(f"catalogue index ({build.client})")
                ix = index_load.run(scratch, args.products, SEED, TODAY, args.startup_rounds, build)
                if build is THIS:
                    data["index"] = ix
                else:
                    data.setdefault("index_builds", []).append(ix)
        chosen_bulk = [WORKLOADS[k] for k in args.chosen if k in WORKLOADS]
        if chosen_bulk:
            log("working out the shop's facts (inputs and minimums)")
            facts = shopfacts.compute(args.products, SEED, TODAY, archive=10_000, stock=10_000)
            inp = Inputs(facts, facts.write_inputs(scratch / "inputs"))
            templates: dict[str, Path] = {}
            limiters = ("default",) if args.defaults_only else ("default", "off")
            for build in args.builds:
                if any(w.needs_index for w in chosen_bulk) and bulk.ozonctl_has(
                    ["sync", "--help"], build
                ):
                    off.start()
                    templates[build.tag], sync = bulk.build_template(
                        off, scratch, log, build, limiters
                    )
                    at = f", {build.client}" if build.tag else ""
                    data.setdefault("sync", {}).update({k + at: v for k, v in sync.items()})
            for rate in args.rates:
                sandbox = sandboxes[rate]
                sandbox.start()
                for work in chosen_bulk:
                    res = bulk.run_workload(
                        work,
                        inp,
                        sandbox,
                        variants(
                            args.peers,
                            lean=args.lean_at_limit and rate is not None,
                            defaults_only=args.defaults_only,
                            builds=args.builds,
                        ),
                        scratch,
                        rounds=args.rounds,
                        templates=templates,
                        timeout_s=args.timeout,
                        log=log,
                        peer_rounds=args.peer_rounds,
                    )
                    data["workloads"].append(res.as_dict())
                    write_results(args.out, data, final=False)
                sandbox.stop()
    finally:
        for sb in sandboxes.values():
            sb.stop()
        data["complete"] = sys.exc_info()[0] is None  # every workload ran to its end
        data["machine"]["load_after"] = _load()
        data["elapsed_s"] = time.monotonic() - started
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latest.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=str)
        )
        text = report.render(data)
        (args.out / "latest.md").write_text(text)
        print(text)
        shutil.rmtree(scratch, ignore_errors=True)
        log(
            f"done in {data['elapsed_s']:.0f} s; results in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
        )
    return 0


if __name__ == "__main__":
    if not PYTHON.exists():
        sys.exit("run from the repository with its .venv (scripts/bootstrap)")
    sys.exit(main())
