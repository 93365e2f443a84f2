"""The client against the sandbox as Ozon answers today: ``total_items`` (``total`` is gone
since 2026-11-23) keeps walks at the fewest requests; ``Ratelimit-Remaining`` on every
answer; nothing listening on the base URL is one line with the hint to start the sandbox."""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def walk_requests(ozonctl: Any, sandbox: Any, *args: str) -> list[dict[str, Any]]:
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl(*args)
    assert r.exit_code == 0, r.stderr
    return [e for e in sandbox.requests() if not e["path"].startswith("/__")]


def test_walks_read_total_items_and_ask_for_no_empty_page(ozonctl: Any, sandbox: Any) -> None:
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10) as http:
        for path, body in [
            ("/v3/product/list", {"filter": {}, "limit": 1000, "last_id": ""}),
            ("/v4/product/info/stocks", {"filter": {}, "limit": 1000}),
            ("/v5/product/info/prices", {"filter": {}, "limit": 1000}),
        ]:
            answer = http.post(path, json=body).json()
            answer = answer.get("result", answer)
            assert "total" not in answer and answer["total_items"] > 0, path
    # 300 products fit in one page of each walk: one request each, no empty last page
    requests = walk_requests(ozonctl, sandbox, "listing", "list", "--all", "--json")
    assert [e["path"] for e in requests].count("/v3/product/list") == 1
    requests = walk_requests(ozonctl, sandbox, "listing", "stock", "low", "--json")
    assert [e["path"] for e in requests] == ["/v4/product/info/stocks"]


@pytest.mark.sandbox_args("--rps", "1000")
def test_every_answer_says_what_is_left_of_its_limit(sandbox: Any) -> None:
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10) as http:
        stocks = http.post("/v2/products/stocks", json={"stocks": []})
        info = http.post("/v1/seller/info", json={})
    assert stocks.headers["ratelimit-remaining"] == "79"  # its own limit: 80 a minute
    assert int(info.headers["ratelimit-remaining"]) >= 990  # the shared 1,000 a second


def test_nothing_listening_is_one_line_at_once_with_the_sandbox_hint(ozonctl: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    r = ozonctl("listing", "list", env={"OZON_API_URL": f"http://127.0.0.1:{port}"})
    assert time.monotonic() - started < 5  # no retries: they waited 7.5 s before
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "ozonctl sandbox serve" in lines[0], r.stderr
