"""Leaving 5,000 products from one promotion (sandbox with 10,000 products, where
«Распродажа 11.11» has exactly 5,000): the fewest requests, progress on a terminal, a
rejected item reported without stopping the rest; and a leave killed half way, then
undone with ``promo rejoin`` or finished by running it again."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.sandbox_args("--products", "10000")]

SALE = 71003
DEACTIVATE = "/v2/actions/products/deactivate"
UPDATE = "/v1/actions/products/update"


def api(sandbox: Any, path: str, body: Any) -> Any:
    """Ask the sandbox directly (not through ozonctl); ``slow:0`` keeps the fault rules
    meant for ozonctl's requests from applying to these."""
    headers = {
        "Client-Id": sandbox.client_id,
        "Api-Key": sandbox.api_key,
        "X-Sandbox-Fault": "slow:0",
    }
    r = httpx.post(sandbox.base_url + path, json=body, headers=headers, timeout=60)
    r.raise_for_status()
    return r.json()


def members(sandbox: Any, action_id: int) -> dict[int, str]:
    """Product id → action price of every product in the promotion, read directly."""
    out: dict[int, str] = {}
    last = ""
    while True:
        page = api(
            sandbox, "/v2/actions/products", {"action_id": action_id, "limit": 100, "last_id": last}
        )
        out.update({int(p["id"]): p["action_price"]["amount"] for p in page["products"]})
        last = page["last_id"]
        if not last or not page["products"]:
            return out


def add_fault(sandbox: Any, rule: str) -> None:
    httpx.post(sandbox.base_url + "/__sandbox/faults", json={"rule": rule}, timeout=10)


def sequential(home: Path, timeout: float = 30.0) -> None:
    """One batch at a time, so a kill lands between known batches; ``timeout`` is the
    request timeout (a rerun waits it out, + a margin, for a killed run's batch)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f"[profiles.default]\nconcurrency = 1\ntimeout = {timeout}\n")


def journal_dir(home: Path) -> Path:
    return home / "state" / "profiles" / "default" / "journal" / "promo"


def env_for(sandbox: Any, home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OZON", "OZONCTL_")) and k not in ("CI", "NO_COLOR", "FORCE_COLOR")
    }
    return {**env, **sandbox.env, "OZONCTL_HOME": str(home)}


def start(sandbox: Any, home: Path, *args: str, **kw: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ozonctl", *args],
        env=env_for(sandbox, home),
        stdin=subprocess.DEVNULL,
        **kw,
    )


def wait_for(check: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def snapshot_ids(op_dir: Path) -> list[int]:
    data = tomllib.loads((op_dir / "00000-snapshot.toml").read_text())
    return [int(p["id"]) for p in data["products"]]


def the_op(home: Path) -> Path:
    wait_for(lambda: journal_dir(home).is_dir() and any(journal_dir(home).iterdir()), "the journal")
    (op_dir,) = list(journal_dir(home).iterdir())
    return op_dir


def sent_ids(sandbox: Any) -> list[list[int]]:
    return [[int(i) for i in e["body"]["product_ids"]] for e in sandbox.requests(DEACTIVATE)]


def test_leave_5000_in_5_requests_with_progress_and_a_rejected_item(
    sandbox: Any, ozonctl_home: Path
) -> None:
    before = members(sandbox, SALE)
    assert len(before) == 5000
    sequential(ozonctl_home)
    # the first batch is held 3 s: the window in which the product below is removed
    add_fault(sandbox, f"{DEACTIVATE}=slow:3000:1")
    master, slave = pty.openpty()  # stderr on a terminal: the progress bar shows
    proc = start(
        sandbox, ozonctl_home, "promo", "leave", str(SALE), "--all", "--yes",
        stdout=subprocess.PIPE, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    # while the first batch is on its way, someone removes a product of the third batch
    # in Ozon's own interface: ozonctl's deactivate will not remove it again
    op_dir = the_op(ozonctl_home)
    wait_for(lambda: (op_dir / "00001-planned.toml").exists(), "the first batch")
    snapshot = tomllib.loads((op_dir / "00000-snapshot.toml").read_text())["products"]
    victim = snapshot[2500]["id"]
    assert api(sandbox, DEACTIVATE, {"action_id": SALE, "product_ids": [str(victim)]}) == {
        "product_ids": [str(victim)]
    }
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    stderr = b"".join(chunks).decode("utf-8", "replace")

    assert proc.returncode == 3, stderr
    rows = [line.split("\t") for line in out.decode().splitlines()]  # a pipe: TSV
    assert len(rows) == 5000
    assert Counter(r[3] for r in rows) == {"left": 4999, "rejected": 1}
    (rejected,) = [r for r in rows if r[3] == "rejected"]
    assert rejected[0] == snapshot[2500]["offer_id"] and "not removed" in rejected[6]
    assert [r[5] for r in rows] == [p["price"] for p in snapshot]  # the price it returns to

    batches = [b for b in sent_ids(sandbox) if b != [victim]]
    assert [len(b) for b in batches] == [1000] * 5  # ceil(5000 / 1000)
    assert sorted(i for b in batches for i in b) == sorted(before)
    assert sandbox.requests(UPDATE) == []
    assert len(sandbox.requests("/v3/product/info/list")) == 5
    assert members(sandbox, SALE) == {}

    assert "Leaving" in stderr and "/5000" in stderr  # the progress bar
    assert "1 product(s) failed" in stderr


def kill_mid_leave(
    sandbox: Any, home: Path, slow_ms: int = 1500, settle: bool = True
) -> tuple[Path, list[int]]:
    """Start leaving all 5,000, kill -9 while the third of five batches is on its way
    (the sandbox answers the first two at once and holds the third ``slow_ms``), and
    (``settle``) let the sandbox finish that request. The request timeout is ``slow_ms``
    + 3.5 s (the held batch would still be answered in time), not the default 30 s, so
    that a rerun's wait for the killed batch (timeout + 5 s) is seconds, not 35 s."""
    sequential(home, timeout=slow_ms / 1000 + 3.5)
    add_fault(sandbox, f"{DEACTIVATE}=slow:0:2")  # rules apply in order: these first
    add_fault(sandbox, f"{DEACTIVATE}=slow:{slow_ms}:1")
    proc = start(
        sandbox, home, "promo", "leave", str(SALE), "--all", "--yes",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    op_dir = the_op(home)
    wait_for(lambda: (op_dir / "00003-planned.toml").exists(), "the third batch")
    time.sleep(0.4)  # sent, and the sandbox is holding it
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if settle:
        wait_for(lambda: len(sandbox.requests(DEACTIVATE)) == 3, "the third request to finish")
    assert not (op_dir / "00003-done.toml").exists()
    return op_dir, snapshot_ids(op_dir)


def test_killed_leave_is_undone_by_rejoin(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    prices = members(sandbox, SALE)
    op_dir, ids = kill_mid_leave(sandbox, ozonctl_home)
    gone = set(prices) - set(members(sandbox, SALE))
    assert gone == set(ids[:3000])  # three batches ran, the third unanswered

    r = ozonctl("promo", "history", "--json")
    assert r.json()[0]["status"] == "interrupted"
    r = ozonctl("promo", "rejoin", str(SALE), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["counts"] == {"joined": 3000}
    # the sandbox keeps 64 KiB of each body, less than 1000 update items: count the
    # requests there, and read each batch's ids from the rejoin's journal
    updates = sandbox.requests(UPDATE)
    assert len(updates) == 3 and all(e["status"] == 200 for e in updates)
    rejoin_dir = next(
        p for p in journal_dir(ozonctl_home).iterdir() if p.name.startswith("rejoin-")
    )
    planned = [
        tomllib.loads(f.read_text())["ids"] for f in sorted(rejoin_dir.glob("*-planned.toml"))
    ]
    assert [len(b) for b in planned] == [1000, 1000, 1000]
    assert {i for b in planned for i in b} == gone
    assert members(sandbox, SALE) == prices  # everything back as it was
    header = tomllib.loads((op_dir / "op.toml").read_text())
    assert header["status"] == "undone" and header["undone_by"].startswith("rejoin-")
    assert len(sandbox.requests(DEACTIVATE)) == 3


def finished_sending_each_batch_once(
    sandbox: Any, r: Any, ids: list[int], everyone: set[int]
) -> None:
    """The rerun ``r`` of a leave killed in its third batch took every product out and
    sent only the fourth and fifth batches: five batches in all, none twice."""
    assert r.exit_code == 0, r.stderr
    assert r.json()["counts"] == {"left": 5000}
    batches = sent_ids(sandbox)
    assert [len(b) for b in batches] == [1000] * 5  # none was sent again
    assert batches[3:] == [ids[3000:4000], ids[4000:5000]]
    assert sorted(i for b in batches for i in b) == sorted(everyone)
    assert members(sandbox, SALE) == {}


def test_killed_leave_is_finished_by_running_it_again(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    everyone = set(members(sandbox, SALE))
    op_dir, ids = kill_mid_leave(sandbox, ozonctl_home)
    r = ozonctl("promo", "leave", str(SALE), "--all", "--yes", "--json")
    assert "finishing the interrupted leave" in r.stderr
    finished_sending_each_batch_once(sandbox, r, ids, everyone)
    header = tomllib.loads((op_dir / "op.toml").read_text())
    assert header["status"] == "done" and header["counts"] == {"left": 5000}


def test_a_rerun_waits_out_the_batch_still_in_flight(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    # The rerun starts while the sandbox still holds the killed run's third batch: it
    # must wait for it (timeout 10 s + margin, from when it was sent: room for the rerun
    # to start on a loaded machine) rather than see its products still in the promotion
    # and send them again.
    everyone = set(members(sandbox, SALE))
    _, ids = kill_mid_leave(sandbox, ozonctl_home, slow_ms=4000, settle=False)
    assert len(sandbox.requests(DEACTIVATE)) == 2  # the third is still being applied
    sequential(ozonctl_home, timeout=10)  # the file, not a process: the window is running
    r = ozonctl("promo", "leave", str(SALE), "--all", "--yes", "--json")
    assert "may still be running" in r.stderr
    finished_sending_each_batch_once(sandbox, r, ids, everyone)


def test_leave_after_sync_sends_only_the_minimum(sandbox: Any, ozonctl: Any) -> None:
    """With the catalogue index built (as a nightly job has it), leaving 5,000 products
    costs 1 promotion lookup + 50 pages of its products + 5 deactivate calls: no card
    reads, no auto-add list reads (the warning needs only the promotion's dates)."""
    assert ozonctl("sync").exit_code == 0
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl("promo", "leave", str(SALE), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    paths = Counter(e["path"] for e in sandbox.requests() if not e["path"].startswith("/__"))
    assert paths.pop("/v1/roles", 0) <= 1  # the key's roles, read once a day before writing
    assert paths == {"/v1/actions": 1, "/v2/actions/products": 50, DEACTIVATE: 5}, paths
    rows = r.json()["items"]
    assert len(rows) == 5000 and {x["status"] for x in rows} == {"left"}
    assert all(x["offer_id"] for x in rows)  # labelled from the index
    assert "auto-add lists on" in r.stderr
