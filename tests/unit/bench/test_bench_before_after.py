"""The benchmark's before/after run (issue 17): another checkout's ozonctl runs beside
this one, every client at its defaults only, and the section for docs/performance.md is
rendered from the results and put between its markers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib import report  # noqa: E402
from benchlib.clients import variants  # noqa: E402
from benchlib.peers_env import PEERS  # noqa: E402
from benchlib.sandbox import THIS, Build  # noqa: E402


def test_another_build_runs_beside_this_one_at_the_defaults_only() -> None:
    before = Build("before-17", Path("/work/before17"))
    got = variants(PEERS, defaults_only=True, builds=(THIS, before))
    assert {v.limiter for v in got} == {"default"}
    clients = [v.client for v in got]
    assert clients[:2] == ["ozonctl", "ozonctl before-17"]
    assert {"ozonapi-async", "ozon-sdk"} <= set(clients)
    assert next(v for v in got if v.client == "ozonctl before-17").build == before
    assert before.ozonctl == Path("/work/before17/.venv/bin/ozonctl")
    # without the option, each client also runs with its limiter lifted, as before
    assert {v.limiter for v in variants(())} == {"default", "off"}


def _run(client: str, wall: float, requests: int, problem: str | None = None) -> dict[str, Any]:
    return {
        "ok": problem is None,
        "returncode": 0 if problem != "timed out: killed after 60 s" else -9,
        "problem": problem,
        "wall_s": wall,
        "traffic": {"requests": requests},
    }


def _cell(client: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"client": client, "limiter": "default", "unavailable": None, "runs": runs}


def test_the_section_has_both_builds_and_the_peers_against_the_floor(tmp_path: Path) -> None:
    data = {
        "started": "2026-12-07 12:10 UTC",
        "elapsed_s": 780,
        "rounds": 3,
        "peer_rounds": 1,
        "timeout_s": 60,
        "machine": {"load_before": "0.10", "load_after": "1.20", "cores": 2, "commit": "abc"},
        "builds": {
            "ozonctl": "/work/main at abc",
            "ozonctl before-17": "/work/before17 at 765f23a",
        },
        "peers": ["ozon-sdk 0.2.0"],
        "workloads": [
            {
                "workload": "archive",
                "sandbox_rate_limit": "50/s, 80 ms round trip",
                "minimum_total": 120,
                "floor_s": 2.4,
                "cells": [
                    _cell("ozonctl", [_run("ozonctl", 2.5, 120), _run("ozonctl", 2.7, 120)]),
                    _cell(
                        "ozonctl before-17", [_run("b", 4.8, 100, "archived 10000, expected 9835")]
                    ),
                    _cell("ozon-sdk", [_run("s", 60.0, 40, "timed out: killed after 60 s")]),
                ],
            }
        ],
    }
    section = report.before_after(data)
    assert section.startswith(report.BEGIN) and section.rstrip().endswith(report.END)
    header = next(line for line in section.splitlines() if line.startswith("| Workload"))
    # the build before the issue comes first, then this one, then the peers
    assert header.index("ozonctl before-17") < header.index("`ozonctl`") < header.index("ozon-sdk")
    row = next(line for line in section.splitlines() if line.startswith("| archive"))
    assert "2.60 s (1.08×), 120 req" in row
    assert "4.80 s (2.00×), 100 req; 1 of 1: archived 10000, expected 9835" in row
    assert "failed: timed out: killed after 60 s" in row

    doc = tmp_path / "performance.md"
    doc.write_text(f"# P\n\nbefore\n{report.BEGIN}\nold table\n{report.END}\nafter\n")
    report.put_into(doc, section)
    text = doc.read_text()
    assert "old table" not in text and "2.60 s (1.08×)" in text
    assert text.startswith("# P\n\nbefore\n") and text.endswith("\nafter\n")
    assert text.count(report.BEGIN) == text.count(report.END) == 1


def test_the_block_is_the_one_on_lines_of_its_own_and_a_cell_stays_one_line(
    tmp_path: Path,
) -> None:
    """The docs name the markers inside a table row: ``--into`` once put the section
    there, in the middle of the options table. A client's error of several lines (a
    pydantic one) broke the table it was in."""
    row = f"| `--into` | between the markers `{report.BEGIN}` and `{report.END}` |\n"
    doc = tmp_path / "performance.md"
    doc.write_text(f"# P\n\n{row}\ntext\n\n{report.BEGIN}\nold table\n{report.END}\nafter\n")
    report.put_into(doc, f"{report.BEGIN}\nnew table\n{report.END}\n")
    assert (
        doc.read_text() == f"# P\n\n{row}\ntext\n\n{report.BEGIN}\nnew table\n{report.END}\nafter\n"
    )

    pydantic = "1 failed: 1 validation error for X\nresult.total\n  Field required | missing"
    work = {
        "workload": "list",
        "sandbox_rate_limit": "50/s, 80 ms round trip",
        "minimum_total": 184,
        "floor_s": 7.44,
        "cells": [_cell("ozonapi-async", [_run("a", 2.5, 1, pydantic)])],
    }
    cell = report._ba_cell(work, "ozonapi-async")
    assert "\n" not in cell and "result.total Field required \\| missing" in cell
