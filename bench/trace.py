"""Where one workload's wall time goes: run it once against the 50 req/s sandbox with
Ozon's round trip and print every request's answer time from the process start.

    .venv/bin/python bench/trace.py promo-leave [--latency 80] [--products 100000]

The sandbox logs a request when its answer is written; each line is
``+seconds path (gap since the previous answer)``, and the first and last lines give
the process start and its exit, so the start-up and the tail show as gaps too.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import bulk, shopfacts
from benchlib.clients import ozonctl_env, write_home
from benchlib.procs import run_measured
from benchlib.sandbox import SEED, TODAY, Sandbox, Window
from benchlib.workloads import WORKLOADS, Inputs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("--latency", type=float, default=80.0)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    work = WORKLOADS[args.workload]
    scratch = Path(tempfile.mkdtemp(prefix="ozonctl-trace-"))
    facts = shopfacts.compute(args.products, SEED, TODAY, archive=10_000, stock=10_000)
    inp = Inputs(facts, facts.write_inputs(scratch / "inputs"))
    template = None
    if work.needs_index:
        with Sandbox(args.products, None, log_dir=scratch) as off:
            template, _ = bulk.build_template(off, scratch, print, limiters=("default",))
    sandbox = Sandbox(args.products, 50, latency_ms=args.latency, log_dir=scratch).start()
    try:
        for _ in range(args.runs):
            if work.fresh_state:
                sandbox.start()
            else:
                time.sleep(1.5)
            home = write_home(scratch / "home", template if work.needs_index else None)
            argv = [str(Path(sys.executable).parent / "ozonctl"), *work.ozonctl(inp)]
            seen = len(sandbox.requests())
            window = Window(sandbox).open()
            t0 = time.time()
            m = run_measured(argv, env=ozonctl_env(home, sandbox, "default"), cwd=scratch)
            window.close()
            reqs = sandbox.requests()[seen:]
            print(f"\n{work.key}: wall {m.wall_s:.2f} s, exit {m.returncode}, {len(reqs)} requests")
            _timeline(reqs, t0, m.wall_s)
    finally:
        sandbox.stop()
    return 0


def _timeline(reqs: list[dict[str, object]], t0: float, wall: float) -> None:
    """Consecutive answers of one path are folded into one line with their count."""
    last = 0.0
    run: list[tuple[str, float, float]] = []

    def flush() -> None:
        if not run:
            return
        path, first, end = run[0][0], run[0][1], run[-1][1]
        gap = run[0][2]
        n = f" ×{len(run)}" if len(run) > 1 else ""
        span = f" .. +{end:.3f}" if len(run) > 1 else ""
        print(f"  +{first:.3f}{span} {path}{n}   (gap before {gap * 1000:.0f} ms)")
        run.clear()

    counts: Counter[str] = Counter()
    for r in reqs:
        t = float(r["time"]) - t0  # type: ignore[arg-type]
        path = str(r["path"])
        counts[path] += 1
        if run and run[-1][0] != path:
            flush()
        run.append((path, t, t - last))
        last = t
    flush()
    print(f"  +{wall:.3f} exit   (gap before {(wall - last) * 1000:.0f} ms)")
    by_path: dict[str, list[dict[str, float]]] = {}
    for r in reqs:
        by_path.setdefault(str(r["path"]), []).append(
            {"in": float(r.get("received", r["time"])) - t0, "out": float(r["time"]) - t0}  # type: ignore[arg-type]
        )
    for path, rs in by_path.items():
        serve = sorted(x["out"] - x["in"] for x in rs)
        turn = sorted(b["in"] - a["out"] for a, b in itertools.pairwise(rs))
        line = f"  {path}: {len(rs)}, first in +{rs[0]['in']:.3f}, last out +{rs[-1]['out']:.3f}"
        line += f"; server (round trip included) median {_ms(serve)}"
        if turn:
            line += f"; answer -> next request of the path, median {_ms(turn)}"
        print(line)


def _ms(xs: list[float]) -> str:
    return f"{xs[len(xs) // 2] * 1000:.1f} ms (max {xs[-1] * 1000:.0f})"


if __name__ == "__main__":
    sys.exit(main())
