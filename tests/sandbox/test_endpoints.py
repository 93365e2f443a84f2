"""Every path of the endpoint table is served, answers 200 to a valid body, and the answer
matches Ozon's response schema (when the documents are at hand)."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_helpers import Api, valid_bodies

from ozonctl.client.endpoints import ENDPOINTS, RETIRED
from ozonctl.sandbox import spec
from ozonctl.sandbox.handlers import HANDLERS

PATHS = [e.path for e in ENDPOINTS.values()]


def test_every_table_path_has_a_handler() -> None:
    missing = [path for path in PATHS if path not in HANDLERS]
    assert missing == []


def test_handlers_use_the_table_methods() -> None:
    for endpoint in ENDPOINTS.values():
        assert HANDLERS[endpoint.path].method == endpoint.method, endpoint.path


def test_no_handler_for_a_retired_path() -> None:
    assert not set(RETIRED) & set(HANDLERS)


ACT_CREATE = "/v2/posting/fbs/act/create"


@pytest.mark.parametrize("path", PATHS)
def test_valid_body_answers_200(api: Api, path: str) -> None:
    endpoint = next(e for e in ENDPOINTS.values() if e.path == path)
    body = valid_bodies(api.shop)[path]
    if path == "/v2/posting/fbs/package-label/get":
        created = api.ok(
            "/v3/posting/fbs/package-label/create",
            valid_bodies(api.shop)["/v3/posting/fbs/package-label/create"],
        )
        body = {"task_id": created["tasks"][0]["task_id"]}
    if path.startswith("/v2/posting/fbs/act/") and "id" in body:  # an act of this shop's
        made = api.ok("/v2/posting/fbs/act/create", valid_bodies(api.shop)[ACT_CREATE])
        body = {"id": made["result"]["id"]}
        for _ in range(2):  # its documents are formed from the second check on
            api.ok("/v2/posting/fbs/act/check-status", body)
    response = api.get(path) if endpoint.method == "GET" else api.post(path, body)
    assert response.status_code == 200, response.text
    assert response.headers["x-o3-trace-id"]
    if response.headers["content-type"].startswith("application/pdf"):
        assert response.content.startswith(b"%PDF")
        return
    answer: Any = response.json()
    validator = spec.response_validator(path, endpoint.method)
    if validator is not None:
        assert validator(answer) == []
