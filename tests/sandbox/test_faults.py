"""Fault injection: by header, by rule (with counts), through the Python API and the
introspection endpoint."""

from __future__ import annotations

import time

import httpx
import pytest
from sandbox_helpers import Api, make

from ozonctl.sandbox.faults import parse_rule

LIST = "/v3/product/list"
BODY = {"filter": {}, "limit": 1, "last_id": ""}


def call(api: Api, fault: str) -> httpx.Response:
    return api.post(LIST, BODY, headers={"X-Sandbox-Fault": fault})


def test_html502(api: Api) -> None:
    r = call(api, "html502")
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().startswith("<html>")


def test_empty503(api: Api) -> None:
    r = call(api, "empty503")
    assert r.status_code == 503 and r.content == b""


def test_302_redirects_elsewhere(api: Api) -> None:
    r = call(api, "302")
    assert r.status_code == 302 and r.headers["location"].startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("503", 503, 14), ("500", 500, 13), ("410", 410, 12), ("429", 429, 8)],
)
def test_json_faults(api: Api, kind: str, status: int, code: int) -> None:
    r = call(api, kind)
    assert r.status_code == status
    assert r.json()["code"] == code and r.json()["details"] == []


def test_410_message(api: Api) -> None:
    assert call(api, "410").json()["message"] == "obsolete method cannot be used"


def test_slow(api: Api) -> None:
    started = time.perf_counter()
    r = call(api, "slow:300")
    assert r.status_code == 200 and r.json()["result"]["items"]
    assert time.perf_counter() - started >= 0.3


def test_reset_closes_without_answer(api: Api) -> None:
    with pytest.raises(httpx.TransportError):
        call(api, "reset")
    assert api.post(LIST, BODY).status_code == 200
    assert api.server.requests[-2]["fault"] == "reset"


def test_unknown_fault_header_400(api: Api) -> None:
    r = call(api, "explode")
    assert r.status_code == 400 and "explode" in r.json()["message"]


def test_rule_with_count_hits_the_first_calls_only() -> None:
    with make(faults=[f"{LIST}=503:2", "/v1/seller/info=html502"]) as server:
        client = Api(server)
        codes = [client.post(LIST, BODY).status_code for _ in range(4)]
        assert codes == [503, 503, 200, 200]
        assert {client.post("/v1/seller/info").status_code for _ in range(3)} == {502}
        assert server.stats()["faults_injected"] == 5
        client.close()


def test_rule_for_every_path_and_slow_count() -> None:
    with make(faults=["*=slow:150:1"]) as server:
        client = Api(server)
        started = time.perf_counter()
        client.post("/v1/seller/info")
        assert time.perf_counter() - started >= 0.15
        client.post("/v1/seller/info")
        assert [e["fault"] for e in server.requests] == ["slow:150", ""]
        client.close()


def test_python_api_and_http_faults(api: Api) -> None:
    api.server.add_fault(LIST, "500", count=1)
    assert api.post(LIST, BODY).status_code == 500
    assert api.post(LIST, BODY).status_code == 200
    r = api.client.post("/__sandbox/faults", json={"rule": f"{LIST}=410:1"})
    assert r.json()["faults"][-1] == {"path": LIST, "fault": "410", "remaining": 1}
    assert api.post(LIST, BODY).status_code == 410
    api.client.post("/__sandbox/faults", json={"clear": True})
    api.server.add_fault(LIST, "reset")
    api.server.clear_faults()
    assert api.post(LIST, BODY).status_code == 200


@pytest.mark.parametrize("text", ["nopath", "/x=", "/x=boom", "/x=503:two", "/x=slow:fast"])
def test_bad_rules_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rule(text)


def test_rule_parsing() -> None:
    rule = parse_rule("/v1/x=slow:250:3")
    assert (rule.path, rule.fault.kind, rule.fault.delay_ms, rule.remaining) == (
        "/v1/x",
        "slow",
        250,
        3,
    )
    assert parse_rule("*=reset").remaining is None
