"""Helpers of the order end-to-end tests: read the sandbox directly (not through ozonctl),
its request log, and run ozonctl in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

CLEAN = ("OZONCTL_JSON", "OZONCTL_YES", "OZONCTL_DRY_RUN", "OZONCTL_NO_INPUT", "CI", "NO_COLOR")


def api(sandbox: Any, path: str, body: Any = None) -> Any:
    """One Seller API call straight to the sandbox, with its keys."""
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    resp = httpx.post(sandbox.base_url + path, json=body or {}, headers=headers, timeout=30)
    resp.raise_for_status()
    return resp.json()


def walk(sandbox: Any, path: str, body: dict[str, Any], items: str = "postings") -> list[Any]:
    """Every item of a cursor-paged list, walked by hand."""
    out: list[Any] = []
    cursor = ""
    for _ in range(1000):
        page = api(sandbox, path, {**body, "limit": 100, "cursor": cursor})
        out += page[items]
        cursor = page.get("cursor") or ""
        if not page.get("has_next") or not cursor:
            return out
    raise AssertionError("too many pages")


def unfulfilled(sandbox: Any, statuses: list[str] | None = None) -> list[Any]:
    """Every unfulfilled posting (with these statuses), walked by hand."""
    window = {"cutoff_from": "2026-01-01T00:00:00Z", "cutoff_to": "2027-06-01T00:00:00Z"}
    filt = {**window, "statuses": statuses} if statuses else window
    return walk(sandbox, "/v4/posting/fbs/unfulfilled/list", {"filter": filt})


def posting_state(sandbox: Any, number: str) -> Any:
    return httpx.get(f"{sandbox.base_url}/__sandbox/state/posting/{number}", timeout=10).json()


def reset_log(sandbox: Any) -> None:
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10).raise_for_status()


def add_fault(sandbox: Any, rule: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/faults", json={"rule": rule}, timeout=10
    ).raise_for_status()


def bodies(sandbox: Any, path: str) -> list[Any]:
    return [e["body"] for e in sandbox.requests(path)]


def run_in_terminal(
    sandbox: Any, home: Path, *args: str, typed: str = "", timeout: float = 60
) -> tuple[int, str]:
    """Run ozonctl with stdin, stdout and stderr on a pseudo-terminal, ``typed`` already
    waiting on its input; (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN}
    env.update(sandbox.env, OZONCTL_HOME=str(home), COLUMNS="200", TERM="xterm")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ozonctl", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    if typed:
        os.write(master, typed.encode())
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=10)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")
