"""The results as Markdown (stdout and bench/results/latest.md) and JSON, with a
verdict for each goal of issue 8 computed from the figures."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from benchlib.peers_env import PEERS, title
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
    for ix in [data["index"]] if data.get("index") else []:
        out.append(_index(ix))
    for ix in data.get("index_builds", []):
        out.append(_index(ix))
    if len(data.get("builds", {})) > 1:
        out.append(before_after(data))
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
        f"## Catalogue index{' of ' + ix['client'] if ix.get('client', 'ozonctl') != 'ozonctl' else ''} "
        f"({ix['rows']:,} products, {ix['file_mb']:.1f} MB file, {ix['rounds']} fresh processes)\n",
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
        problems = [_cell_text(r["problem"]) for r in c["runs"] if r["problem"]]
        result = "ok" if not problems else f"{len(problems)}/{len(c['runs'])} failed: {problems[0]}"
        lines.append(
            f"| {c['label']} | {_range(c['wall_s'], 's', 2)} | {_count(c['requests'])}"
            f"{_extra(c, w)} | {_count(c['rate_limited'])} | {ratio} | "
            f"{_cpu(c)} | {_count(c['connections'])} | "
            f"{_range(c['rss'], 'MB', 0)} | {result} |"
        )
    return "\n".join(lines) + "\n"


def _cell_text(problem: str) -> str:
    """A problem as one table cell: a client's error message may span lines or hold a
    ``|`` (a pydantic error does), which would break the table."""
    return " ".join(problem.split()).replace("|", "\\|")


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
                    if (
                        c["client"].startswith("ozonctl")
                        or c["client"] in REFERENCES  # the floor of a process, no rival
                        or c["limiter"] != lim
                        or c["unavailable"]
                    ):
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


REFERENCES = {p.name for p in PEERS if p.reference}


def _cell(w: dict[str, Any], client: str, limiter: str) -> dict[str, Any] | None:
    return next((c for c in w["cells"] if c["client"] == client and c["limiter"] == limiter), None)


def _ok(cell: dict[str, Any]) -> bool:
    return bool(cell["runs"]) and all(r["ok"] for r in cell["runs"])


# -- before and after an issue, beside the peers --------------------------------------------
BEGIN = "<!-- bench: before-after -->"
END = "<!-- /bench: before-after -->"


def before_after(data: dict[str, Any]) -> str:
    """One table per rate: each workload's minimum and floor, then every client's
    median wall (÷ floor) and requests, the other ozonctl builds first; then the goals
    of start-up, memory and the index for each build. For docs/performance.md
    (``bench/run.py --render JSON --into docs/performance.md``)."""
    m = data["machine"]
    builds: dict[str, str] = data.get("builds") or {"ozonctl": m["commit"]}
    order = sorted(builds, key=lambda c: (c == "ozonctl", c))  # other builds, then this one
    peers = [p.split()[0] for p in data.get("peers", [])]
    clients = [*order, *peers]
    out = [
        BEGIN,
        f"Run of {data['started']} ({data.get('elapsed_s', 0) / 60:.0f} min): "
        + "; ".join(f"`{c}` = {builds[c]}" for c in order)
        + f". Load average {m['load_before']} before, {m['load_after']} after "
        f"({m['cores']} cores). Rounds: {data['rounds']}"
        + (f" (peers {data['peer_rounds']})" if data.get("peer_rounds") else "")
        + f"; a run is killed after {data.get('timeout_s', 0):.0f} s. Every client at its "
        "default limiter. Cell: median wall (÷ floor), requests.\n",
    ]
    works = data.get("workloads", [])
    for rate in dict.fromkeys(w["sandbox_rate_limit"] for w in works):
        out.append(
            f"| Workload ({rate}) | Minimum | Floor | "
            + " | ".join(f"`{c}`" if title(c) == c else title(c) for c in clients)
            + " |"
        )
        out.append("|---" * (3 + len(clients)) + "|")
        for w in (w for w in works if w["sandbox_rate_limit"] == rate):
            cells = [_ba_cell(w, c) for c in clients]
            out.append(
                f"| {w['workload']} | {w['minimum_total']} | {w['floor_s']:.2f} s | "
                + " | ".join(cells)
                + " |"
            )
        out.append("")
    goal_rows = _ba_goals(data, order)
    if goal_rows:
        out.append("| Goal | " + " | ".join(f"`{c}`" for c in order) + " |")
        out.append("|---" * (1 + len(order)) + "|")
        out.extend(goal_rows)
        out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


def _ba_cell(w: dict[str, Any], client: str) -> str:
    c = _cell(w, client, "default")
    if c is None:
        return "—"
    if c["unavailable"]:
        return f"not run: {c['unavailable']}"
    # runs that exited 0 count, also when the shop's state check found a difference
    # (the code before issue 23 archived products with reserved units too): it is named
    done = [r for r in c["runs"] if r["returncode"] == 0]
    bad = [_cell_text(r["problem"]) for r in c["runs"] if r["problem"]]
    wall = Summary.of(r["wall_s"] for r in done)
    if wall is None:
        return f"failed: {bad[0] if bad else 'no run'}"[:120]
    reqs = Summary.of(r["traffic"]["requests"] for r in done if r.get("traffic"))
    text = f"{wall.median:.2f} s ({wall.median / w['floor_s']:.2f}×)" if w["floor_s"] else ""
    text += f", {reqs.median:.0f} req" if reqs else ""
    return text + (f"; {len(bad)} of {len(c['runs'])}: {bad[0]}"[:160] if bad else "")


def _ba_goals(data: dict[str, Any], order: list[str]) -> list[str]:
    rows = []
    st = data.get("startup")
    for key, goal in (("version", "< 80 ms"), ("help", "< 200 ms")):
        if not st:
            break
        figs = []
        for client in order:
            tag = client.removeprefix("ozonctl").strip()
            case = st["cases"].get(f"{key} {tag}" if tag else key)
            s = _s(case["wall"]) if case else None
            figs.append("—" if s is None else f"{s.median * 1000:.0f} ms")
        rows.append(f"| `--{key}` {goal} | " + " | ".join(figs) + " |")
    indexes = {
        ix.get("client", "ozonctl"): ix
        for ix in [data.get("index"), *data.get("index_builds", [])]
        if ix
    }
    if indexes:
        figs = []
        for client in order:
            s = _s(indexes[client]["read_s"]) if client in indexes else None
            figs.append("—" if s is None else f"{s.median:.3f} s")
        rows.append("| index load < 0.5 s | " + " | ".join(figs) + " |")
    for w in data.get("workloads", []):
        if w["workload"] == "list":
            figs = []
            for client in order:
                c = _cell(w, client, "default")
                s = _s(c["rss"]) if c else None
                figs.append("—" if s is None else f"{s.high:.0f} MB")
            rows.append("| listing 100,000 peak < 150 MB | " + " | ".join(figs) + " |")
            break
    return rows


def put_into(path: Any, section: str) -> None:
    """Replace the block from a line ``BEGIN`` to a line ``END`` in ``path`` by
    ``section`` (markers named inside a line of text, as the docs do, are left alone)."""
    text = path.read_text()
    block = re.search(rf"^{re.escape(BEGIN)}$.*?^{re.escape(END)}$", text, re.M | re.S)
    if block is None:
        raise SystemExit(f"{path}: no {BEGIN} … {END} block to replace")
    path.write_text(text[: block.start()] + section.rstrip("\n") + text[block.end() :])
