"""``ozonctl api`` as a real process against the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.sandbox_args("--products", "250")
@pytest.mark.parametrize("mode", [[], ["--json"]])
def test_paginate_prints_every_item_as_json_with_or_without_json(
    sandbox: Any, ozonctl: Any, mode: list[str]
) -> None:
    body = {"filter": {"visibility": "ALL"}, "limit": 100}
    r = ozonctl("api", "/v3/product/list", "--paginate", "--data", json.dumps(body), *mode)
    assert r.exit_code == 0, r.stderr
    items = json.loads(r.stdout)
    ids = [item["product_id"] for item in items]
    summary = sandbox.get("/__sandbox/state")
    assert len(ids) == len(set(ids)) == summary["products"] - summary["archived"]
    assert all(
        e["body"]["filter"] == {"visibility": "ALL"} for e in sandbox.requests("/v3/product/list")
    )
