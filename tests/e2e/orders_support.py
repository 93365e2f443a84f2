"""Helpers of the order end-to-end tests: read the sandbox directly (not through ozonctl),
its request log, and run ozonctl in a pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
from pty_support import run_on_tty

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


def recent_posting(sandbox: Any, ozonctl: Any) -> str:
    """An FBS posting created within 48 hours of the sandbox's clock (one a chat can still
    be opened on), as ``order list`` shows it."""
    import datetime as dt

    state = httpx.get(sandbox.base_url + "/__sandbox/state", timeout=10).json()
    now = dt.datetime.fromisoformat(state["now"].replace("Z", "+00:00"))
    since = (now - dt.timedelta(days=3)).date().isoformat()
    postings = ozonctl("order", "list", "--from", since, "--json").json()
    return next(
        str(p["posting_number"])
        for p in postings
        if now - dt.datetime.fromisoformat(p["created"]) < dt.timedelta(hours=48)
    )


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
    """Run ozonctl on a 200-column pseudo-terminal (pty_support.run_on_tty), ``typed``
    answered at its prompt; (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN}
    env.update(sandbox.env, OZONCTL_HOME=str(home))
    answer = typed.rstrip("\n") or None
    r = run_on_tty(list(args), env, columns=200, answer=answer, timeout=timeout)
    return r.code, r.text
