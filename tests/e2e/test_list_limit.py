"""``--limit N`` stops the walk: N rows out, no further page asked for (issue 18)."""

from __future__ import annotations

from typing import Any

LIST = "/v4/posting/fbs/list"
PERIOD = ("--from", "2026-09-01", "--to", "2026-11-26")


def test_limit_gives_n_rows_and_asks_for_fewer_pages(sandbox: Any, ozonctl: Any) -> None:
    every = ozonctl("order", "list", *PERIOD, "--json")
    assert every.exit_code == 0, every.stderr
    full = len(sandbox.requests(LIST))
    assert full > 1, full  # a walk of several pages
    five = ozonctl("order", "list", *PERIOD, "--limit", "5", "--json")
    assert five.exit_code == 0, five.stderr
    assert [p["posting_number"] for p in five.json()] == [
        p["posting_number"] for p in every.json()[:5]
    ]
    assert len(sandbox.requests(LIST)) - full == 1  # the first page only
    tsv = ozonctl("order", "list", *PERIOD, "--limit", "5")
    assert len(tsv.stdout.splitlines()) == 5


def test_limit_zero_is_a_usage_error(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("order", "list", "--limit", "0")
    assert r.exit_code == 2, r.stderr
