"""The catalogue index of 100,000 products: how long ``CatalogIndex.read`` (what
``CatalogIndex.load`` calls) takes in a fresh process, beside ``tomllib`` on the same
file and the first lookup-map build."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from benchlib.sandbox import ROOT, THIS, Build, python_env
from benchlib.stats import Summary

GOAL_S = 0.5
_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from ozonctl.catalog.index import CatalogIndex
t1 = time.perf_counter()
index = CatalogIndex.read(Path(sys.argv[1]))
t2 = time.perf_counter()
index.by_offer(index.offer_ids[-1])
t3 = time.perf_counter()
out = {"import_s": t1 - t0, "read_s": t2 - t1, "first_lookup_s": t3 - t2, "rows": len(index)}
if sys.argv[2] == "1":
    import tomllib
    t4 = time.perf_counter()
    tomllib.loads(Path(sys.argv[1]).read_text())
    out["tomllib_s"] = time.perf_counter() - t4
print(json.dumps(out))
"""


_BUILD = r"""
import datetime as dt, sys
from pathlib import Path
from ozonctl.catalog.index import CatalogEntry, CatalogIndex
from ozonctl.sandbox.shop import Shop

shop = Shop(int(sys.argv[2]), seed=int(sys.argv[3]), today=sys.argv[4])
cat = shop.catalog
entries = [
    CatalogEntry(
        product_id=cat.product_id(i),
        offer_id=cat.offer_id(i),
        sku=cat.sku(i),
        name=cat.name(i),
        archived=cat.archived(i),
        created=cat.created_at(i, shop.now).date(),
    )
    for i in range(cat.n)
    if cat.exists(i)
]
CatalogIndex.from_entries(entries, refreshed=dt.datetime.now(dt.UTC)).write(Path(sys.argv[1]))
print(len(entries))
"""


def build_index(path: Path, products: int, seed: int, today: str, build: Build = THIS) -> int:
    """Write the index the sandbox's shop would give (real names, dates, flags), in the
    layout ``build`` writes (each build reads its own)."""
    proc = _python(build, _BUILD, str(path), str(products), str(seed), today)
    return int(proc.stdout.strip())


def _python(build: Build, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(build.python), "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=python_env(),
    )
    if proc.returncode != 0:
        raise RuntimeError(f"index script of {build.client} failed: {proc.stderr[-800:]}")
    return proc


def run(
    scratch: Path, products: int, seed: int, today: str, rounds: int, build: Build = THIS
) -> dict[str, Any]:
    path = scratch / f"index{'-' + build.tag if build.tag else ''}" / "index.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = build_index(path, products, seed, today, build)
    samples: list[dict[str, float]] = []
    for n in range(rounds + 1):
        proc = _python(build, _PROBE, str(path), "1" if n < 3 else "0")
        if n:  # the first is a warm-up (page cache)
            samples.append(json.loads(proc.stdout))
    out: dict[str, Any] = {
        "client": build.client,
        "rows": rows,
        "file_mb": path.stat().st_size / 1e6,
        "goal_s": GOAL_S,
        "rounds": rounds,
    }
    for key in ("import_s", "read_s", "first_lookup_s", "tomllib_s"):
        summary = Summary.of(s[key] for s in samples if key in s)
        out[key] = summary.as_dict() if summary else None
    return out
