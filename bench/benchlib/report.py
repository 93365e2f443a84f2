"""The results as Markdown (stdout and bench/results/latest.md) and JSON, with a
verdict for each goal of issue 8 computed from the figures."""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchlib.stats import Summary

LIST_MEMORY_GOAL_MB = 150.0
FLOOR_SLACK = 1.10


def _s(d: dict[str, Any] | None) -> Summary | None:
    if not d:
        return None
    return Summary(d["median"], d["min"], d["max"], d["n"])


def _range(d: dict[str, Any] | None, unit: str, digits: int, scale: float = 1.0) -> str:
    s = _s(d)
    return "—" if s is None else s.fmt(unit, digits, scale)


def _count(d: dict[str, Any] | None) -> str:
    s = _s(d)
    if s is None:
        return "—"
    if s.low == s.high:
        return f"{s.median:.0f}"
    return f"{s.median:.0f} ({s.low:.0f}–{s.high:.0f})"


def render(data: dict[str, Any]) -> str:
    out: list[str] = []
    m = data["machine"]
    out.append(f"# ozonctl benchmark — {data['started']}\n")
    if not data.get("complete", True):
        out.append("**Incomplete: the run is still going or was cut short.**\n")
    out.append(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']:.0f} GB; Python {m['python']}; "
        f"ozonctl {m['ozonctl']} at {m['commit']}; load average {m['load_before']} before, "
        f"{m['load_after']} after. Sandbox: `{m['sandbox_command']}` with {data['products']:,} "
        f"products (seed {data['seed']}, today {data['today']}), schema checks "
        f"{'on' if data['validate'] else 'off'}. Peers: {', '.join(data['peers']) or 'none'}. "
        f"Rounds: {data['rounds']} (bulk), {data['startup_rounds']} (start-up)"
        + (
            "; against the 50/s sandbox the peers ran with their limiter lifted only"
            if data.get("lean_at_limit")
            else ""
        )
        + ".\n"
    )
    verdicts = goals(data)
    if verdicts:
        out.append("## Goals\n")
        out.append("| Goal | Measured | Verdict |\n|---|---|---|")
        out.extend(f"| {g} | {fig} | {v} |" for g, fig, v in verdicts)
        out.append("")
    if data.get("startup"):
        out.append(_startup(data["startup"]))
    if data.get("index"):
        out.append(_index(data["index"]))
    if data.get("sync"):
        out.append(_sync(data["sync"]))
    for w in data.get("workloads", []):
        out.append(_workload(w))
    return "\n".join(out).rstrip() + "\n"


def _startup(st: dict[str, Any]) -> str:
    lines = [
        f"## Start-up ({st['rounds']} rounds, interleaved)\n",
        "| Command | Wall, median (min–max) | Over bare python | Peak memory | Goal |",
        "|---|---|---|---|---|",
    ]
    for key, c in st["cases"].items():
        goal = f"< {c['goal_ms']:.0f} ms" if c.get("goal_ms") else ""
        over = "" if key == "bare" else _range(c["over_bare"], "ms", 0, 1000)
        lines.append(
            f"| `{c['title']}` | {_range(c['wall'], 'ms', 0, 1000)} | {over} | "
            f"{_range(c['peak_rss_mb'], 'MB', 0)} | {goal} |"
        )
    return "\n".join(lines) + "\n"


def _index(ix: dict[str, Any]) -> str:
    rows = [
        f"## Catalogue index ({ix['rows']:,} products, {ix['file_mb']:.1f} MB file, {ix['rounds']} fresh processes)\n",
        "| Step | Median (min–max) |",
        "|---|---|",
        f"| `CatalogIndex.read` (what `load` calls) | {_range(ix['read_s'], 's', 3)} |",
        f"| first lookup (builds the offer-id map) | {_range(ix['first_lookup_s'], 's', 3)} |",
        f"| importing `ozonctl.catalog.index` | {_range(ix['import_s'], 's', 3)} |",
        f"| `tomllib.loads` of the same file, for comparison | {_range(ix['tomllib_s'], 's', 3)} |",
    ]
    return "\n".join(rows) + "\n"


def _sync(sy: dict[str, Any]) -> str:
    rows = [
        "## Building the catalogue index (`ozonctl sync`, before the write workloads)\n",
        "| Limiter | Wall | Requests | By path | TCP connections | Peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for lim, d in sy.items():
        t = d["traffic"]
        paths = ", ".join(f"{p} {n}" for p, n in sorted(t["by_path"].items()))
        rows.append(
            f"| {lim} | {d['wall_s']:.2f} s | {t['requests']} | {paths} | {t['connections']} | "
            f"{d['peak_rss_mb']:.0f} MB |"
        )
    return "\n".join(rows) + "\n"


def _workload(w: dict[str, Any]) -> str:
    lines = [
        f"## {w['title']} — sandbox rate limit {w['sandbox_rate_limit']}\n",
        f"Minimum: **{w['minimum_total']} requests** — {w['minimum_note']}. "
        f"Floor: **{w['floor_s']:.2f} s**{_floor_parts(w)}.\n",
    ]
    if w.get("ozonctl_missing"):
        lines.append(f"ozonctl: not measurable yet — {w['ozonctl_missing']}.\n")
    lines.append(
        "| Client | Wall, median (min–max) | Requests (min "
        + str(w["minimum_total"])
        + ") | 429s | "
        "Wall ÷ floor | CPU: client / sandbox | TCP connections | Peak memory | Result |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for c in w["cells"]:
        if c["unavailable"]:
            lines.append(
                f"| {c['label']} | — | — | — | — | — | — | — | not run: {c['unavailable']} |"
            )
            continue
        wall = _s(c["wall_s"])
        ratio = f"{wall.median / w['floor_s']:.2f}" if wall and w["floor_s"] else "—"
        problems = [r["problem"] for r in c["runs"] if r["problem"]]
        result = "ok" if not problems else f"{len(problems)}/{len(c['runs'])} failed: {problems[0]}"
        lines.append(
            f"| {c['label']} | {_range(c['wall_s'], 's', 2)} | {_count(c['requests'])}"
            f"{_extra(c, w)} | {_count(c['rate_limited'])} | {ratio} | "
            f"{_cpu(c)} | {_count(c['connections'])} | "
            f"{_range(c['rss'], 'MB', 0)} | {result} |"
        )
    return "\n".join(lines) + "\n"


def _floor_parts(w: dict[str, Any]) -> str:
    """`` (rate: 3.68 s; sequential: 93 × 80 ms = 7.44 s)`` when a round trip was set
    (results of older runs have neither)."""
    if not w.get("latency_ms") or "rate_floor_s" not in w:
        return " at 50 req/s"
    seq = w["chain"] * w["latency_ms"] / 1000
    return (
        f" (rate: {w['rate_floor_s']:.2f} s; sequential: {w['chain']} × "
        f"{w['latency_ms']:g} ms = {seq:.2f} s)"
    )


def _cpu(cell: dict[str, Any]) -> str:
    """Median CPU of the client process / of the sandbox over the same runs."""
    runs = [r for r in cell["runs"] if not r.get("unavailable")]
    mine = Summary.of(r["cpu_s"] for r in runs if r.get("cpu_s") is not None)
    server = Summary.of(
        t["server_cpu_s"]
        for r in runs
        if (t := r.get("traffic")) and t.get("server_cpu_s") is not None
    )
    if mine is None:
        return "—"
    return f"{mine.median:.1f} s / " + ("—" if server is None else f"{server.median:.1f} s")


def _extra(cell: dict[str, Any], w: dict[str, Any]) -> str:
    """`` (+10 /v3/product/info/list)``: where the last run went past the minimum."""
    runs = [r for r in cell["runs"] if r.get("traffic")]
    if not runs:
        return ""
    sent = Counter(runs[-1]["traffic"]["by_path"])
    sent.subtract(Counter(w["minimum"]))
    parts = [f"{'+' if n > 0 else '−'}{abs(n)} {p}" for p, n in sorted(sent.items()) if n]
    return f" ({', '.join(parts)})" if parts else " (= min)"


# -- verdicts ---------------------------------------------------------------------------------
def goals(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    works = data.get("workloads", [])
    ozc = [(w, c) for w in works if (c := _cell(w, "ozonctl", "default")) is not None]
    if ozc:
        figs, bad = [], []
        for w, c in ozc:
            req = _s(c["requests"])
            if req is None:
                continue
            figs.append(
                f"{w['workload']} [{w['sandbox_rate_limit']}]: {req.median:.0f}/{w['minimum_total']}"
            )
            if req.high > w["minimum_total"]:
                bad.append(w["workload"])
        verdict = "met" if not bad else "not met: " + ", ".join(sorted(set(bad)))
        rows.append(
            ("Requests sent = the minimum (ozonctl, every bulk workload)", "; ".join(figs), verdict)
        )
        figs, bad = [], []
        for w, c in ozc:
            if w["sandbox_rate_limit"] == "off" or not (wall := _s(c["wall_s"])):
                continue
            ratio = wall.median / w["floor_s"]
            figs.append(
                f"{w['workload']}: {wall.median:.2f} s / {w['floor_s']:.2f} s = {ratio:.2f}"
            )
            if ratio > FLOOR_SLACK:
                bad.append(w["workload"])
        if figs:
            verdict = "met" if not bad else "not met: " + ", ".join(bad)
            rows.append(("At 50 req/s: wall ≤ 1.10 × floor (ozonctl)", "; ".join(figs), verdict))
        figs, bad = [], []
        for w in works:
            if w["sandbox_rate_limit"] != "off":
                continue
            for lim in ("default", "off"):
                mine = _cell(w, "ozonctl", lim)
                mine_s = _s(mine["wall_s"]) if mine and _ok(mine) else None
                for c in w["cells"]:
                    if c["client"] == "ozonctl" or c["limiter"] != lim or c["unavailable"]:
                        continue
                    theirs = _s(c["wall_s"])
                    if mine is None or mine_s is None or theirs is None:
                        continue
                    faster = mine_s.median < theirs.median
                    figs.append(
                        f"{w['workload']} ({lim}): {mine_s.median:.2f} s vs {c['client']} {theirs.median:.2f} s"
                        + ("" if _ok(c) else " (peer failed)")
                    )
                    if not faster:
                        bad.append(f"{w['workload']} vs {c['client']} ({lim})")
        if figs:
            verdict = "met" if not bad else "not met: " + "; ".join(bad)
            rows.append(
                (
                    "No rate limit: ahead of every peer (same limiter setting)",
                    "; ".join(figs),
                    verdict,
                )
            )
    st = data.get("startup")
    if st:
        bare = _s(st["cases"]["bare"]["wall"])
        for key in ("version", "help"):
            c = st["cases"][key]
            s = _s(c["wall"])
            if s is None or bare is None:
                continue
            verdict = "met" if s.median * 1000 < c["goal_ms"] else "not met"
            rows.append(
                (
                    f"`{c['title']}` < {c['goal_ms']:.0f} ms",
                    f"{s.median * 1000:.0f} ms (bare python {bare.median * 1000:.0f} ms)",
                    verdict,
                )
            )
    for w in works:
        c = _cell(w, "ozonctl", "default")
        if w["workload"] != "list" or c is None or not (rss := _s(c["rss"])):
            continue
        ttfb = _s(c["first_byte_s"])
        wall = _s(c["wall_s"])
        fig = f"{rss.high:.0f} MB peak (max of runs) [{w['sandbox_rate_limit']}]"
        if ttfb and wall:
            fig += f"; first output after {ttfb.median:.2f} s of {wall.median:.2f} s"
        verdict = "met" if rss.high < LIST_MEMORY_GOAL_MB and _ok(c) else "not met"
        rows.append(("Listing 100,000: peak memory < 150 MB, streaming", fig, verdict))
    ix = data.get("index")
    if ix and (read := _s(ix["read_s"])):
        verdict = "met" if read.median < ix["goal_s"] else "not met"
        rows.append(
            (
                f"Catalogue index of {ix['rows']:,} loads < 0.5 s",
                f"{read.median:.3f} s (max {read.high:.3f} s)",
                verdict,
            )
        )
    return rows


def _cell(w: dict[str, Any], client: str, limiter: str) -> dict[str, Any] | None:
    return next((c for c in w["cells"] if c["client"] == client and c["limiter"] == limiter), None)


def _ok(cell: dict[str, Any]) -> bool:
    return bool(cell["runs"]) and all(r["ok"] for r in cell["runs"])
