"""``ozonctl doctor`` against the sandbox: one read call, the real lock across processes,
refused keys, and what it prints in a pipe and with --json."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def checks(result: Any) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for c in result.json()["checks"]:
        out.setdefault(c["check"], []).append(c)
    return out


def test_doctor_against_the_sandbox(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    # the sandbox profile, pointed at the fixture's port by OZON_API_URL
    r = ozonctl("--profile", "sandbox", "doctor", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    found = checks(r)
    assert found["keys"][0]["status"] == "ok"
    assert "Ozon accepted Client-Id sandbox" in found["keys"][0]["detail"]
    clock = found["clock"][0]
    assert clock["status"] == "ok" or "no Date header" in clock["detail"]
    # two reads: do the keys work, and when does the key expire
    assert [e["path"] for e in sandbox.requests()] == ["/v1/seller/info", "/v1/roles"]
    # doctor created nothing in a fresh home
    assert not ozonctl_home.exists() or not any(ozonctl_home.rglob("*.toml"))

    pipe = ozonctl("--profile", "sandbox", "doctor")
    assert pipe.exit_code == 0
    rows = [line.split("\t") for line in pipe.stdout.splitlines()]
    assert rows[[r[0] for r in rows].index("keys")][:2] == ["keys", "ok"]
    assert pipe.stderr.strip().endswith("all is well")


def test_refused_key_exits_4(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("doctor", "--json", env={"OZON_API_KEY": "not-the-key"})
    assert r.exit_code == 4
    keys = checks(r)["keys"][0]
    assert keys["status"] == "fail" and "HTTP 403" in keys["detail"]
    assert "OZON_CLIENT_ID and OZON_API_KEY" in keys["fix"]
    assert len(sandbox.requests("/v1/seller/info")) == 1  # a refusal is not retried


def test_lock_held_by_another_process_then_the_run_is_killed(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    holder = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from ozonctl.state.journal import Journal
        from ozonctl.settings import Paths
        from ozonctl.state.lock import StateLock
        paths = Paths.from_env({{"OZONCTL_HOME": {str(ozonctl_home)!r}}})
        state = paths.profile_state("default")
        run = Journal(state, "listing").new("delist-stale")  # status running: this run's
        lock = paths.lock_file("default", {sandbox.client_id!r})  # one lock per Client-Id
        with StateLock(lock, purpose="listing delist-stale"):
            print("held", flush=True)
            sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        r = ozonctl("doctor", "--json")
        lock = checks(r)["lock"][0]
        assert r.exit_code == 0
        assert lock["status"] == "warn"
        assert f"pid={proc.pid}" in lock["detail"] and "listing delist-stale" in lock["detail"]
        # the running journal belongs to the run that holds the lock: nothing to fix
        assert checks(r)["journal"][0]["status"] == "ok"
        proc.send_signal(signal.SIGKILL)  # the run is killed half way, as cron may do
        proc.wait(timeout=10)
        r = ozonctl("doctor", "--json")
        lock = checks(r)["lock"][0]
        assert lock["status"] == "warn" and "did not release it cleanly" in lock["detail"]
        journal = checks(r)["journal"][0]
        assert journal["status"] == "warn" and "status running" in journal["detail"]
        assert "rerun `ozonctl listing delist-stale`" in journal["fix"]
    finally:
        proc.kill()
        proc.wait(timeout=10)
