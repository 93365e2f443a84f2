"""Ozon's behaviour at the edges: auth, bad bodies, item limits, unknown and retired
paths, rate limits, trace ids."""

from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import Api, make


def test_missing_keys_401(api: Api) -> None:
    for headers in ({}, {"Client-Id": "sandbox"}, {"Api-Key": "sandbox-key"}):
        r = httpx.post(api.server.base_url + "/v1/seller/info", json={}, headers=headers)
        assert r.status_code == 401
        assert r.json() == {
            "code": 16,
            "message": "Client-Id and Api-Key headers are required",
            "details": [],
        }
        assert r.headers["x-o3-trace-id"]


def test_wrong_keys_403(api: Api) -> None:
    for headers in (
        {"Client-Id": "sandbox", "Api-Key": "nope"},
        {"Client-Id": "other", "Api-Key": "sandbox-key"},
    ):
        r = httpx.post(api.server.base_url + "/v1/seller/info", json={}, headers=headers)
        assert r.status_code == 403
        assert r.json()["code"] == 7 and r.json()["details"] == []


def test_bearer_token_is_accepted(api: Api) -> None:
    r = httpx.post(
        api.server.base_url + "/v1/seller/info",
        json={},
        headers={"Authorization": "Bearer sandbox-key"},
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"],
    ids=["broken", "array", "string", "bytes"],
)
def test_malformed_body_400(api: Api, raw: bytes) -> None:
    r = api.client.post("/v3/product/list", content=raw)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == 3 and body["details"] == [] and body["message"]


def test_too_many_items_400(api: Api) -> None:
    r = api.post("/v1/product/archive", {"product_id": list(range(1, 102))})
    assert r.status_code == 400
    assert "101 > 100" in r.json()["message"]
    ok = api.post("/v1/product/archive", {"product_id": list(range(1, 101))})
    assert ok.status_code == 200


def test_page_size_above_max_400(api: Api) -> None:
    r = api.post("/v3/product/list", {"filter": {}, "limit": 1001, "last_id": ""})
    assert r.status_code == 400 and r.json()["code"] == 3
    r = api.post("/v2/actions/products", {"action_id": 71003, "limit": 101, "last_id": ""})
    assert r.status_code == 400


def test_missing_required_field_400(api: Api) -> None:
    r = api.post("/v2/posting/fbs/cancel", {"cancel_reason_id": 352})
    assert r.status_code == 400 and "posting_number" in r.json()["message"]


def test_missing_required_field_without_the_spec() -> None:
    with make(validate=False) as server:
        client = Api(server)
        assert not server.app.validating
        r = client.post("/v1/actions/products/update", {"action_id": 71003})
        assert r.status_code == 400 and r.json()["message"] == "products is required"
        r = client.post("/v1/product/archive", {"product_id": list(range(200))})
        assert r.status_code == 400
        client.close()


def test_unknown_path_404_and_retired_410(api: Api) -> None:
    r = api.post("/v9/nothing/here")
    assert r.status_code == 404 and r.json()["code"] == 5
    for path in ("/v3/posting/fbs/list", "/v1/actions/products/activate", "/v1/warehouse/list"):
        r = api.post(path)
        assert r.status_code == 410
        assert r.json()["message"] == "obsolete method cannot be used"


def test_wrong_method_405(api: Api) -> None:
    assert api.get("/v3/product/list").status_code == 405
    assert api.post("/v1/actions").status_code == 405


def test_rate_limit_429_code_8() -> None:
    with make(rps=1) as server:
        client = Api(server)
        statuses = [client.post("/v1/seller/info").status_code for _ in range(20)]
        assert 429 in statuses and statuses[0] == 200
        refused = next(
            r for r in (client.post("/v1/seller/info") for _ in range(10)) if r.status_code == 429
        )
        assert refused.json() == {
            "code": 8,
            "message": "You have reached request rate limit per second",
            "details": [],
        }
        assert server.stats()["rate_limited"] >= 1
        client.close()


def test_per_method_limit_from_the_table() -> None:
    with make(rps=1000) as server:
        client = Api(server)
        body = {"stocks": []}
        codes = [client.post("/v2/products/stocks", body).status_code for _ in range(120)]
        assert codes[:80] == [200] * 80 and 429 in codes
        assert "per minute" in client.post("/v2/products/stocks", body).json()["message"]
        client.close()


def test_every_answer_has_a_trace_id(api: Api) -> None:
    ids = {api.post("/v1/seller/info").headers["x-o3-trace-id"] for _ in range(3)}
    ids.add(api.post("/v9/x").headers["x-o3-trace-id"])
    assert len(ids) == 4


def test_answers_say_how_many_requests_are_left_for_their_method() -> None:
    # issue 16.13: Ozon sends Ratelimit-Remaining on every answer (per method) and
    # Retry-After, in seconds, on a 429
    with make(rps=1000) as server:
        client = Api(server)
        body = {"stocks": []}
        answers = [client.post("/v2/products/stocks", body) for _ in range(3)]
        assert [r.headers["ratelimit-remaining"] for r in answers] == ["79", "78", "77"]
        for _ in range(200):  # its own 80 a minute: 0 left is said before the 429
            refused = client.post("/v2/products/stocks", body)
            if refused.status_code == 429:
                break
            answers.append(refused)
        assert answers[-1].headers["ratelimit-remaining"] == "0"
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        shared = client.post("/v1/seller/info").headers["ratelimit-remaining"]
        assert 80 < int(shared) < 1000  # the 1,000 a second it shares with every method
        bad = client.post("/v3/product/list", {"limit": 5000})  # refused by its body
        assert bad.status_code == 400 and "ratelimit-remaining" in bad.headers
        client.close()


def test_without_limits_the_whole_limit_is_left(api: Api) -> None:
    left = {
        api.post(p, b).headers["ratelimit-remaining"]
        for p, b in [
            ("/v2/products/stocks", {"stocks": []}),
            ("/v2/products/stocks", {"stocks": []}),
        ]
    }
    assert left == {"80"}
    assert api.post("/v1/seller/info").headers["ratelimit-remaining"] == "50"


def test_a_429_says_when_to_come_back() -> None:
    with make(rps=1) as server:
        client = Api(server)
        answers = [client.post("/v1/seller/info") for _ in range(5)]
        refused = [r for r in answers if r.status_code == 429]
        assert refused and all(r.headers["retry-after"] == "1" for r in refused)
        client.close()


def test_the_injected_429_carries_retry_after(api: Api) -> None:
    r = httpx.post(
        api.server.base_url + "/v1/seller/info",
        json={},
        headers={"Client-Id": "sandbox", "Api-Key": "sandbox-key", "X-Sandbox-Fault": "429"},
    )
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
