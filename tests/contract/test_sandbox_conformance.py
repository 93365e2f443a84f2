"""The sandbox against Ozon's document: a walk of every method of the endpoint table
against a running sandbox (in-process, a fresh shop per method, the valid request body
of ``tests/sandbox/sandbox_helpers.valid_bodies``). Each answer has status 200 and a body
that validates against the documented 200 schema (required fields present), names no
field the document does not — unless a note in ../shared says Ozon sends it now — and
none of the fields Ozon switched off by the sandbox's day."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from ozon_oracle import COUNTS, METHODS, pdf_answer, response_schema
from test_request_bodies import unknown_fields

from ozonctl.client.endpoints import ENDPOINTS, Endpoint

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox"))
from sandbox_helpers import TODAY, Api, make, valid_bodies

pytestmark = pytest.mark.contract

# Fields the 2026-06-11 document does not name that Ozon sends since (OZON-NOTES.md,
# "Changes since the copies"; excerpts-2026-09-28-official.md, News 2026-09-22…28).
SENT_SINCE: dict[str, set[str]] = {
    "/v3/product/list": {".result.total_items"},
    "/v4/product/info/stocks": {".total_items"},
    "/v5/product/info/prices": {".total_items", ".items.price.declared_price"},
    "/v3/product/info/list": {".items.declared_price"},
    "/v4/posting/fbs/list": {".postings.scanit"},
    "/v4/posting/fbs/unfulfilled/list": {".postings.scanit"},
    "/v3/posting/fbs/get": {".result.scanit"},
}

# Fields Ozon switched off, and the day (OZON-NOTES.md: "`total` is gone since
# 2026-11-23 from /v3/product/list (result.total), /v4/product/info/stocks and
# /v5/product/info/prices; read total_items").
SWITCHED_OFF: dict[str, tuple[str, dt.date]] = {
    "/v3/product/list": ("result.total", dt.date(2026, 11, 23)),
    "/v4/product/info/stocks": ("total", dt.date(2026, 11, 23)),
    "/v5/product/info/prices": ("total", dt.date(2026, 11, 23)),
}


ACT_METHOD = 1_020_000_000_000
"""A delivery method with postings awaiting the courier in every sandbox shop."""


def dig(body: Any, dotted: str) -> tuple[bool, Any]:
    for part in dotted.split("."):
        if not isinstance(body, dict) or part not in body:
            return False, None
        body = body[part]
    return True, body


def answer(ep: Endpoint) -> tuple[int, Any]:
    status, body, _ = answered(ep)
    return status, body


def answered(ep: Endpoint) -> tuple[int, Any, Any]:
    with make() as server:
        api = Api(server)
        try:
            body = valid_bodies(server.shop)[ep.path]
            if ep.key.startswith("act.") and ep.key != "act.create":  # an act of this shop's
                made = api.ok("/v2/posting/fbs/act/create", {"delivery_method_id": ACT_METHOD})
                body = {**body, "id": made["result"]["id"]} if "id" in body else body
                for _ in range(2):  # its documents are formed from the second check on
                    api.ok("/v2/posting/fbs/act/check-status", {"id": made["result"]["id"]})
            if ep.key == "posting.fbs.label_get":  # a task of this shop's
                made = api.ok(
                    "/v3/posting/fbs/package-label/create",
                    valid_bodies(server.shop)["/v3/posting/fbs/package-label/create"],
                )
                body = {"task_id": made["tasks"][0]["task_id"]}
            r = api.get(ep.path) if ep.method == "GET" else api.post(ep.path, body)
            if r.headers.get("content-type", "").startswith("application/pdf"):
                return r.status_code, r.content, r.headers
            return r.status_code, r.json(), r.headers
        finally:
            api.close()


@pytest.mark.parametrize(
    "ep",
    list(ENDPOINTS.values()),
    ids=lambda e: e.key,
)
def test_every_sandbox_answer_is_as_documented(
    request: pytest.FixtureRequest, ep: Endpoint
) -> None:
    import jsonschema

    status, body, headers = answered(ep)
    assert status == 200, (ep.path, status, body)
    # excerpts-2026-09-28-official.md, tag Limits: «в ответах возвращаются заголовки с
    # информацией о текущем состоянии лимитов метода: Ratelimit-Remaining …» (checked
    # here, on the answer this test asks for anyway: a walk of its own cost a fresh shop
    # per method again, 20 s at load 5)
    remaining = headers.get("ratelimit-remaining")
    assert remaining is not None and remaining.isdigit(), f"{ep.path}: no Ratelimit-Remaining"
    specs = request.getfixturevalue("specs")  # skips without the document, checked after
    COUNTS["sandbox answers"] += 1
    METHODS.add(ep.key)
    schema = response_schema(specs, ep)
    if pdf_answer(specs, ep):  # application/pdf: the PDF itself (as Ozon's example
        # shows), or the documented object whose file_content holds it
        if isinstance(body, bytes):
            assert body.startswith(b"%PDF"), (ep.path, body[:40])
        else:
            assert isinstance(body, dict) and body.get("file_content"), (ep.path, body)
            assert set(body) <= {"content_type", "file_name", "file_content"}, ep.path
        return
    if schema is None:
        assert body in ({}, None), f"{ep.path}: the document gives this answer no body"
        return
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.path)
    )
    assert not errors, [f"{'.'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:5]]
    extra = {re.sub(r"\[\d+\]", "", f) for f in unknown_fields(schema, body)}
    extra -= SENT_SINCE.get(ep.path, set())
    assert not extra, f"{ep.path}: fields the document does not name: {sorted(extra)}"


@pytest.mark.parametrize("path", list(SWITCHED_OFF))
def test_fields_ozon_switched_off_are_gone(path: str) -> None:
    field, off = SWITCHED_OFF[path]
    assert dt.date.fromisoformat(TODAY) >= off
    status, body = answer(next(e for e in ENDPOINTS.values() if e.path == path))
    assert status == 200
    present, _ = dig(body, field)
    assert not present, f"{path}: {field} is still sent, Ozon switched it off on {off}"


# Fields Ozon added and sends now (OZON-NOTES.md: "read `total_items` (added 2026-09-24)").
ADDED = {
    "/v3/product/list": "result.total_items",
    "/v4/product/info/stocks": "total_items",
    "/v5/product/info/prices": "total_items",
}


@pytest.mark.parametrize("path", list(ADDED))
def test_fields_ozon_added_are_sent(path: str) -> None:
    status, body = answer(next(e for e in ENDPOINTS.values() if e.path == path))
    assert status == 200
    present, value = dig(body, ADDED[path])
    assert present and isinstance(value, int) and value > 0, f"{path}: no {ADDED[path]}"
