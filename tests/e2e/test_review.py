"""``review list`` / ``review show`` as real processes against the sandbox: filters sent
as Ozon's document names them, rating and --unanswered applied to what it sends, a pipe
(TSV) and --json, comments under a review, and the 403 of a shop without Ozon's review
subscription as one line, exit 4."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

LIST = "/v2/review/list"


def set_tier(sandbox: Any, tier: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": tier}, timeout=10
    ).raise_for_status()


def test_list_filters_json_and_pipe(sandbox: Any, ozonctl: Any) -> None:
    every = ozonctl("review", "list", "--json")
    assert every.exit_code == 0, every.stderr
    reviews = every.json()
    assert len(reviews) == 60
    assert {r["rating"] for r in reviews} <= {1, 2, 3, 4, 5}
    assert any(r["photos"] for r in reviews) and any(r["answered"] for r in reviews)
    assert [r["published_at"] for r in reviews] == sorted(
        (r["published_at"] for r in reviews), reverse=True
    )

    picked = ozonctl("review", "list", "--unanswered", "--rating", "5", "--rating", "4", "--json")
    got = picked.json()
    want = [r for r in reviews if r["rating"] in (4, 5) and not r["answered"]]
    assert got == want and got

    sku = str(next(r["sku"] for r in reviews if r["status"] == "NEW"))
    by_sku = ozonctl("review", "list", "--sku", sku, "--status", "new", "--from", "2026-11-01")
    assert by_sku.exit_code == 0, by_sku.stderr
    sent = sandbox.requests(LIST)[-1]["body"]
    assert sent["filters"]["skus"] == [sku]
    assert sent["filters"]["status"] == "NEW"
    assert sent["filters"]["published_from"] == "2026-11-01T00:00:00Z"
    lines = [ln.split("\t") for ln in by_sku.stdout.splitlines()]
    assert lines and all(cells[2] == sku and cells[4] == "NEW" for cells in lines)


def test_show_has_the_comments(sandbox: Any, ozonctl: Any) -> None:
    answered = [r for r in ozonctl("review", "list", "--json").json() if r["comments_count"]]
    shown = ozonctl("review", "show", answered[0]["id"], "--json")
    assert shown.exit_code == 0, shown.stderr
    doc = shown.json()
    assert doc["id"] == answered[0]["id"]
    assert doc["comments"] and doc["comments"][0]["by_seller"] is True
    assert doc["comments"][0]["text"].startswith("Спасибо")
    text = ozonctl("review", "show", answered[0]["id"])
    assert doc["comments"][0]["text"] in text.stdout


def test_no_subscription_is_one_line_naming_it_exit_4(sandbox: Any, ozonctl: Any) -> None:
    set_tier(sandbox, "premium-plus")
    for args in (("review", "list"), ("review", "show", "x")):
        result = ozonctl(*args)
        assert result.exit_code == 4, result.stderr
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Review management or Premium Pro" in lines[0], lines
    set_tier(sandbox, "reviews")
    assert ozonctl("review", "list").exit_code == 0


def test_unknown_review_is_one_line(sandbox: Any, ozonctl: Any) -> None:
    result = ozonctl("review", "show", "no-such-review")
    assert result.exit_code == 1
    assert "no-such-review" in result.stderr and len(result.stderr.strip().splitlines()) == 1
