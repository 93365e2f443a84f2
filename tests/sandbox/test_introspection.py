"""The /__sandbox/ API: request log, stats (connections), state, files; and the Python API."""

from __future__ import annotations

import httpx
from sandbox_helpers import Api


def test_request_log_and_reset(api: Api) -> None:
    api.post("/v3/product/list", {"filter": {}, "limit": 2, "last_id": ""})
    api.post("/v1/seller/info")
    log = httpx.get(api.server.base_url + "/__sandbox/requests").json()["requests"]
    assert [e["path"] for e in log] == ["/v3/product/list", "/v1/seller/info"]
    first = log[0]
    assert first["method"] == "POST" and first["status"] == 200 and first["client_id"] == "sandbox"
    assert first["body"] == {"filter": {}, "limit": 2, "last_id": ""} and first["time"] > 0
    only = httpx.get(
        api.server.base_url + "/__sandbox/requests", params={"path": "/v1/seller/info"}
    ).json()["requests"]
    assert len(only) == 1
    assert api.server.requests == log
    assert httpx.post(api.server.base_url + "/__sandbox/reset-log").json() == {"ok": True}
    assert api.server.requests == []


def test_stats_count_connections_and_429s(api: Api) -> None:
    api.server.reset_log()
    with httpx.Client(base_url=api.server.base_url, headers=api.server.headers) as keep_alive:
        for _ in range(5):
            keep_alive.post("/v1/seller/info", json={})
    for _ in range(2):
        httpx.post(api.server.base_url + "/v1/seller/info", json={}, headers=api.server.headers)
    stats = httpx.get(api.server.base_url + "/__sandbox/stats").json()
    assert stats["requests_by_path"]["/v1/seller/info"] == 7
    assert stats["connections_accepted"] == 4  # one kept alive, two single calls, this one
    assert stats["rate_limited"] == 0 and stats["statuses"]["200"] == 7


def test_state_endpoints(api: Api) -> None:
    base = api.server.base_url + "/__sandbox/state"
    summary = httpx.get(base).json()
    assert summary["products"] == 300 and summary["today"] == "2026-11-27"
    cat = api.shop.catalog
    by_id = httpx.get(f"{base}/product/{cat.product_id(5)}").json()
    by_offer = httpx.get(f"{base}/product/{cat.offer_id(5)}").json()
    assert by_id == by_offer and by_id["offer_id"] == cat.offer_id(5)
    number = api.shop.orders.fbs[0].number
    assert httpx.get(f"{base}/posting/{number}").json()["posting_number"] == number
    action = httpx.get(f"{base}/action/71003").json()
    assert action["participants"] == len(action["product_ids"]) > 0
    assert httpx.get(f"{base}/product/nope").status_code == 404
    assert httpx.get(api.server.base_url + "/__sandbox/nothing").status_code == 404


def test_introspection_needs_no_keys(api: Api) -> None:
    assert httpx.get(api.server.base_url + "/__sandbox/health").json()["ok"] is True
