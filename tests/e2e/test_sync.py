"""``ozonctl sync`` against the sandbox: a first full read, then incremental ones."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_sync_then_incremental_sync(sandbox: Any, ozonctl: Any, ozonctl_home: Any) -> None:
    r = ozonctl("sync", "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    summary = sandbox.get("/__sandbox/state")
    assert doc["products"] == summary["products"] and doc["archived"] == summary["archived"]
    assert doc["sale_lines"] > 0
    first_posts = [e["body"]["filter"] for e in sandbox.requests("/v4/posting/fbs/list")]
    assert first_posts and "last_changed_status_date" not in first_posts[0]
    infos = len(sandbox.requests("/v3/product/info/list"))
    assert infos >= 1
    index = (ozonctl_home / "cache").rglob("catalog/index.toml")
    assert next(index).read_text(encoding="utf-8").startswith("format = 1")
    sandbox.post("/__sandbox/reset-log")
    r = ozonctl("sync")
    assert r.exit_code == 0, r.stderr
    assert f"{doc['products']} products" in r.stdout
    assert sandbox.requests("/v3/product/info/list") == []  # no new product: no details read
    again = [e["body"]["filter"] for e in sandbox.requests("/v4/posting/fbs/list")]
    assert again and all("last_changed_status_date" in f for f in again)
