"""``listing archive``, ``unarchive`` and ``restore`` under faults and Ozon's daily limit,
as real processes against the sandbox: the outcome each reports for a product is the
state the sandbox holds for it afterwards (issue 23.1, 23.5)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

FAULTS = ("500", "503", "reset", "410")


def fault(sandbox: Any, rule: str) -> None:
    sandbox.post("/__sandbox/faults", {"clear": True, "rule": rule})


def archived(sandbox: Any, offer: str) -> bool:
    return bool(sandbox.get(f"/__sandbox/state/product/{offer}")["archived"])


def check_truth(sandbox: Any, r: Any) -> dict[str, str]:
    """Every reported outcome is the sandbox's state; the results by offer id."""
    got = {i["offer_id"]: i["result"] for i in r.json()["items"]}
    for offer, result in got.items():
        if result == "archived":
            assert archived(sandbox, offer), offer
        elif result == "unarchived":
            assert not archived(sandbox, offer), offer
    return got


def on_sale(sandbox: Any, ozonctl: Any, n: int) -> list[str]:
    """``n`` products on sale with no units reserved for orders (those are held back)."""
    rows = ozonctl("listing", "list", "--limit", str(3 * n), "--json").json()
    free = [
        r["offer_id"]
        for r in rows
        if not sum(sandbox.get(f"/__sandbox/state/product/{r['offer_id']}")["reserved"])
    ]
    assert len(free) >= n
    return free[:n]


def test_archive_under_faults_reports_what_the_sandbox_holds(sandbox: Any, ozonctl: Any) -> None:
    offers = on_sale(sandbox, ozonctl, 3 * len(FAULTS) * 2)
    for k, kind in enumerate(FAULTS):
        for j, extra in enumerate(((), ("--verify",))):
            chunk = offers[(2 * k + j) * 3 : (2 * k + j + 1) * 3]
            fault(sandbox, f"/v1/product/archive={kind}:1")
            r = ozonctl("listing", "archive", *chunk, *extra, "--yes", "--json")
            assert r.exit_code == 3, (kind, extra, r.stderr)
            assert set(check_truth(sandbox, r).values()) == {"failed"}, (kind, extra)
            assert not any(archived(sandbox, o) for o in chunk), (kind, extra)


def test_a_timed_out_archive_is_waited_for_not_reported_failed(sandbox: Any, ozonctl: Any) -> None:
    offers = on_sale(sandbox, ozonctl, 2)
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    fault(sandbox, "/v1/product/archive=slow:2500:1")  # lands 1.5 s after the timeout
    r = ozonctl("listing", "archive", *offers, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert set(check_truth(sandbox, r).values()) == {"archived"}
    assert len(sandbox.requests("/v1/product/archive")) == 1


def test_unarchive_and_restore_under_faults(sandbox: Any, ozonctl: Any) -> None:
    offers = on_sale(sandbox, ozonctl, 3)
    r = ozonctl("listing", "archive", *offers, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    ref = r.json()["ref"]
    for kind in FAULTS:
        fault(sandbox, f"/v1/product/unarchive={kind}:1")
        r2 = ozonctl("listing", "restore", ref, "--yes", "--json")
        assert r2.exit_code == 3, (kind, r2.stderr)
        assert set(check_truth(sandbox, r2).values()) == {"failed"}, kind
        fault(sandbox, f"/v1/product/unarchive={kind}:1")
        r3 = ozonctl("listing", "unarchive", offers[0], "--yes", "--json")
        assert r3.exit_code == 3 and check_truth(sandbox, r3) == {offers[0]: "failed"}, kind
        assert all(archived(sandbox, o) for o in offers), kind
    fault(sandbox, "/v1/product/archive=500:1")  # no fault on the unarchive now
    r4 = ozonctl("listing", "restore", ref, "--yes", "--json")
    assert r4.exit_code == 0, r4.stderr
    assert set(check_truth(sandbox, r4).values()) == {"unarchived"}
    # the journal of it all, newest first (issue 16.16)
    history = ozonctl("listing", "history", "--json")
    assert history.exit_code == 0, history.stderr
    rows = [(x["ref"], x["kind"], x["status"]) for x in history.json()]
    assert rows[0] == (r4.json()["ref"], "restore", "done")
    assert rows[-1] == (ref, "archive", "done")
    assert [k for _, k, s in rows[1:-1]] == ["unarchive", "restore"] * len(FAULTS)
    assert {s for _, _, s in rows[1:-1]} == {"partial"}
    orders = ozonctl("order", "history", "--json")
    assert orders.exit_code == 0 and orders.json() == []


@pytest.mark.sandbox_args("--products", "4000")
def test_unarchive_past_ozons_daily_limit_reports_what_came_back(
    sandbox: Any, ozonctl: Any
) -> None:
    rows = ozonctl("listing", "list", "--visibility", "AUTO_ARCHIVED", "--all", "--json").json()
    offers = [r["offer_id"] for r in rows]
    assert len(offers) > 100, "needs more auto-archived products than Ozon restores a day"
    r = ozonctl("listing", "unarchive", *offers, "--yes", "--json")
    assert r.exit_code == 3, r.stderr
    got = check_truth(sandbox, r)
    assert list(got.values()).count("unarchived") == 100
    assert list(got.values()).count("failed") == len(offers) - 100
    assert all(archived(sandbox, o) for o, res in got.items() if res == "failed")
    assert "100 auto-archived products a day" in r.stdout


def test_two_archives_waiting_on_the_lock_keep_each_others_index_updates(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    """The second run read the index before it got the lock; it re-reads it under the
    lock before writing, so the first run's updates are not overwritten (issue 23.8)."""
    from ozonctl.catalog.index import CatalogIndex

    offers = on_sale(sandbox, ozonctl, 6)
    fault(sandbox, "/v1/product/archive=slow:2500:1")  # the first run holds the lock
    env = {**os.environ, **sandbox.env, "OZONCTL_HOME": str(ozonctl_home)}
    first = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", "listing", "archive", *offers[:3], "--yes"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not list(ozonctl_home.rglob("journal/listing/archive-*/*-planned.toml")):
        assert time.monotonic() < deadline and first.poll() is None, "the first run sent nothing"
        time.sleep(0.05)  # the first run holds the lock now, its request held 2.5 s
    second = ozonctl("listing", "archive", *offers[3:], "--yes", "--wait-lock", "60")
    assert second.exit_code == 0, second.stderr
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    (path,) = ozonctl_home.rglob("catalog/index.toml")
    index = CatalogIndex.read(path)
    assert all(index.by_offer(o).archived for o in offers)  # type: ignore[union-attr]
    assert all(archived(sandbox, o) for o in offers)


def test_reserved_units_hold_a_product_back_from_archive(sandbox: Any, ozonctl: Any) -> None:
    """The sandbox reserves units for its unfulfilled FBS postings (issue 16.4)."""
    stock = ozonctl("listing", "stock", "show", "--json").json()
    reserved = sorted({r["offer_id"] for r in stock if r.get("reserved")})
    assert reserved, "the sandbox has unfulfilled postings holding units"
    assert sum(sandbox.get(f"/__sandbox/state/product/{reserved[0]}")["reserved"])
    r = ozonctl("listing", "archive", reserved[0], "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    (item,) = r.json()["items"]
    assert item["result"] == "skipped" and "reserved for orders not shipped yet" in item["note"]
    assert not archived(sandbox, reserved[0])
    assert not sandbox.requests("/v1/product/archive")
    r = ozonctl("listing", "archive", reserved[0], "--allow-reserved", "--yes", "--json")
    assert r.exit_code == 0 and r.json()["items"][0]["result"] == "archived"
    assert archived(sandbox, reserved[0])


@pytest.mark.sandbox_args("--products", "1200")
def test_killed_archive_rerun_sends_only_what_was_not_done(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    """kill -9 in the middle of a plain archive; the rerun with the same arguments waits
    out the request that may still run, credits what was done and sends the rest, each
    product once; doctor then sees nothing unfinished (issue 23.4, 23.5)."""
    rows = ozonctl("listing", "list", "--all", "--json").json()
    offers = [r["offer_id"] for r in rows][:600]
    assert ozonctl("config", "set", "timeout", "2").exit_code == 0
    assert ozonctl("config", "set", "concurrency", "1").exit_code == 0
    fault(sandbox, "/v1/product/archive=slow:4000:1")
    args = ("listing", "archive", *offers, "--allow-reserved", "--yes")
    env = {**os.environ, **sandbox.env, "OZONCTL_HOME": str(ozonctl_home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(ozonctl_home.rglob("journal/listing/archive-*/*-planned.toml")):
        assert time.monotonic() < deadline and proc.poll() is None, "the run never planned"
        time.sleep(0.05)
    time.sleep(1.0)  # the first batch is held 4 s by the sandbox: kill it in flight
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    r = ozonctl(*args, "--json")
    assert r.exit_code == 0, r.stderr
    assert "settled interrupted run" in r.stderr
    sent = [p for e in sandbox.requests("/v1/product/archive") for p in e["body"]["product_id"]]
    assert len(sent) == len(set(sent)) == len(offers), "a product was sent twice, or never"
    assert all(archived(sandbox, o) for o in offers[::50])
    results = {i["result"] for i in r.json()["items"]}
    assert results <= {"archived", "unchanged"}
    doctor = ozonctl("doctor", "--offline")
    assert "did not finish" not in doctor.stdout + doctor.stderr
