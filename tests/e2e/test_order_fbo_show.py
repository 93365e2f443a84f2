"""``order show`` of an FBO posting against the sandbox: an FBS read that says "not found"
falls back to ``/v2/posting/fbo/get``, and the JSON is the posting schema of ``order list
--fbo`` (the same keys and values)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_show_reads_an_fbo_posting(sandbox: Any, ozonctl: Any) -> None:
    listed = ozonctl("order", "list", "--fbo", "--from", "30d", "--json").json()
    assert listed and all(p["scheme"] == "fbo" for p in listed)
    first = listed[0]
    r = ozonctl("order", "show", first["posting_number"], "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json() == first
    assert (
        sandbox.requests("/v2/posting/fbo/get")[0]["body"]["posting_number"]
        == first["posting_number"]
    )
    r = ozonctl("order", "show", first["posting_number"])
    assert r.exit_code == 0 and f"posting\t{first['posting_number']}" in r.stdout
    r = ozonctl("order", "show", "00000000-0000-1")
    assert r.exit_code != 0
