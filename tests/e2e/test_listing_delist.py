"""``listing stale`` / ``delist-stale`` end to end: two runs at once, a run killed half
way and run again, the state after."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
from cron_support import spawn, two_at_once

pytestmark = pytest.mark.e2e

CRITERIA = ("--no-sales-days", "30", "--min-age-days", "0")
UNLIMITED = ("--max", "100000", "--max-percent", "100")


def archived_ids(sandbox: Any) -> list[int]:
    return [p for e in sandbox.requests("/v1/product/archive") for p in e["body"]["product_id"]]


def test_stale_then_delist_with_exclude_and_summary(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    stale = ozonctl("listing", "stale", *CRITERIA, "--json")
    assert stale.exit_code == 0, stale.stderr
    rows = stale.json()
    assert rows and all(r["why"] for r in rows)
    keep = tmp_path / "keep.txt"
    keep.write_text(f"{rows[0]['offer_id']}\n{rows[1]['sku']}\n")
    tsv = ozonctl("listing", "stale", *CRITERIA, "--exclude", str(keep))
    assert len(tsv.stdout.splitlines()) == len(rows) - 2
    plan = ozonctl(
        "listing", "delist-stale", *CRITERIA, *UNLIMITED, "--exclude", str(keep), "--dry-run"
    )
    assert plan.exit_code == 0 and archived_ids(sandbox) == []
    r = ozonctl("listing", "delist-stale", "--yes", *CRITERIA, *UNLIMITED, "--exclude", str(keep))
    assert r.exit_code == 0, r.stderr
    n = len(rows) - 2
    assert (
        r.stderr.strip()
        .splitlines()[-1]
        .startswith(f"delist-stale: matched {n}, delisted {n}, failed 0")
    )
    ids = archived_ids(sandbox)
    assert sorted(ids) == sorted(x["product_id"] for x in rows[2:])
    for row in rows[:2]:
        assert not sandbox.get(f"/__sandbox/state/product/{row['offer_id']}")["archived"]


@pytest.mark.sandbox_args("--fault", "/v3/product/list=slow:2500:1")
def test_two_runs_started_together_one_exits_5(
    sandbox: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    args = ("listing", "delist-stale", *CRITERIA, *UNLIMITED, "--yes")
    two_at_once(sandbox, ozonctl_home, tmp_path, args, within=120)


@pytest.mark.sandbox_args("--products", "1200", "--fault", "/v1/product/archive=slow:3000:1")
def test_killed_run_and_rerun_delist_each_product_once(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    stale = ozonctl("listing", "stale", *CRITERIA, "--json").json()
    assert len(stale) > 100, "needs several batches"
    args = ("listing", "delist-stale", *CRITERIA, *UNLIMITED, "--yes")
    proc = spawn(sandbox, ozonctl_home, *args)  # output is not read: it is killed
    deadline = time.monotonic() + 60
    while not list(ozonctl_home.rglob("journal/listing/delist-stale-*/*-planned.toml")):
        assert time.monotonic() < deadline and proc.poll() is None, "the run never planned a batch"
        time.sleep(0.05)
    time.sleep(1.0)  # the other batches answer; the first is held 3 s by the sandbox
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(3.0)  # the held batch completes on the sandbox side
    r = ozonctl(*args, "--json")
    assert r.exit_code == 0, r.stderr
    assert "settled interrupted run" in r.stderr
    ids = archived_ids(sandbox)
    assert len(ids) == len(set(ids)), "a product was archived twice"
    assert set(ids) == {row["product_id"] for row in stale}
    for row in stale[:: max(1, len(stale) // 10)]:
        assert sandbox.get(f"/__sandbox/state/product/{row['offer_id']}")["archived"]
    again = ozonctl(*args)
    assert again.exit_code == 0 and "matched 0" in again.stderr


def test_fbo_only_sellers_and_fbo_stock_are_never_stale(sandbox: Any, ozonctl: Any) -> None:
    """The shop stocks some products only in Ozon's warehouses: they sell only through
    FBO postings, which count as sales, and their FBO units count as stock."""
    fbo = sandbox.get("/__sandbox/state/fbo-only")
    assert fbo["fbs_sold"] == []  # they really sell through FBO only
    sold = set(fbo["last_sale"])
    assert len(sold) >= 3, fbo
    # a year's window holds every sale of the shop's 90 days of history, whatever the date
    window = ("--no-sales-days", "365", "--min-age-days", "0")
    stale = ozonctl("listing", "stale", *window, "--json")
    assert stale.exit_code == 0, stale.stderr
    picked = {row["offer_id"] for row in stale.json()}
    assert picked and not picked & sold
    unsold_at_ozon = set(fbo["offer_ids"]) - sold
    assert unsold_at_ozon <= picked  # no sale: listed, with their units at Ozon as stock
    stock = {row["offer_id"]: row["stock"] for row in stale.json()}
    assert all(stock[o] > 0 for o in unsold_at_ozon)
    zero = ozonctl("listing", "stale", *window, "--zero-stock", "--json")
    assert zero.exit_code == 0, zero.stderr
    assert not {row["offer_id"] for row in zero.json()} & set(fbo["offer_ids"])
    plan = ozonctl("listing", "delist-stale", *window, *UNLIMITED, "--dry-run", "--json")
    assert plan.exit_code == 0, plan.stderr
    planned = {item["offer_id"] for item in plan.json()["items"]}
    assert planned == picked and not planned & sold
    assert archived_ids(sandbox) == []


@pytest.mark.parametrize("fault", ["500", "reset", "410", "302"])
def test_delist_stale_under_a_fault_reports_what_the_sandbox_holds(
    fault: str, sandbox: Any, ozonctl: Any
) -> None:
    """Issue 23, "Done when": the nightly delister under a fault on its first archive
    request. Its summary counts as delisted exactly the products the sandbox archived,
    the batch that met the fault is not called done nor sent again, and the run exits 3."""
    rows = ozonctl("listing", "stale", *CRITERIA, "--json").json()
    assert len(rows) > 100  # more than one batch of 100: one faulted, the others go through
    sandbox.post("/__sandbox/faults", {"clear": True, "rule": f"/v1/product/archive={fault}:1"})
    r = ozonctl("listing", "delist-stale", "--yes", *CRITERIA, *UNLIMITED)
    assert r.exit_code == 3, (fault, r.stdout[-400:], r.stderr[-400:])
    assert "Traceback" not in r.stderr
    archived = [
        x for x in rows if sandbox.get(f"/__sandbox/state/product/{x['offer_id']}")["archived"]
    ]
    assert 0 < len(archived) < len(rows)
    (summary,) = [x for x in r.stderr.splitlines() if x.startswith("delist-stale:")]
    assert summary.startswith(f"delist-stale: matched {len(rows)}, delisted {len(archived)},")
    sent = archived_ids(sandbox)
    assert len(sent) == len(set(sent)) == len(rows)  # every product sent once, none again
