"""The review client: pages walked until Ozon says ``has_next: false`` (no extra call),
the filters sent as Ozon's document names them, the 403 of a shop without the review
subscription turned into one line naming it (exit 4)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ozonctl.client.client import OzonClient
from ozonctl.client.models.reviews import Review, ReviewFilters
from ozonctl.exitcodes import ExitCode


def client_for(handler: Any) -> OzonClient:
    return OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )


def review(n: int, **kw: Any) -> dict[str, Any]:
    return {"id": f"r{n}", "sku": str(100 + n), "rating": 5, "status": "NEW", **kw}


def test_pages_end_when_ozon_says_has_next_false() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if not body["last_id"]:
            page = {"reviews": [review(1), review(2)], "last_id": "t2", "has_next": True}
        else:
            page = {"reviews": [review(3)], "last_id": "t3", "has_next": False}
        return httpx.Response(200, json=page)

    filters = ReviewFilters(status="NEW", skus=["101"], published_from="2026-11-01T00:00:00Z")
    got = list(client_for(handler).reviews.list(filters))
    assert [r.id for r in got] == ["r1", "r2", "r3"]
    assert got[0].sku == 101  # int64 sent as a string
    assert len(bodies) == 2  # no third call after has_next: false
    assert bodies[0]["limit"] == 100 and bodies[0]["sort_dir"] == "DESC"
    assert bodies[0]["filters"] == {
        "status": "NEW",
        "skus": ["101"],
        "published_from": "2026-11-01T00:00:00Z",
    }
    assert bodies[1]["last_id"] == "t2"


@pytest.mark.parametrize(
    ("fields", "answered"),
    [
        ({"comments_amount": 0, "status": "NEW"}, False),
        ({"comments_amount": 0, "status": "VIEWED"}, False),
        ({"comments_amount": 1, "status": "NEW"}, True),
        ({"comments_amount": 0, "status": "PROCESSED"}, True),
    ],
)
def test_answered_means_a_comment_or_processed(fields: dict[str, Any], answered: bool) -> None:
    assert Review.model_validate(review(1, **fields)).answered is answered


def test_a_shop_without_the_subscription_gets_one_line_and_exit_4(
    cli: Any, ozonctl_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        message = "the method is available to sellers with a subscription"
        return httpx.Response(403, json={"code": 7, "message": message, "details": []})

    import ozonctl.cli.context as context

    monkeypatch.setattr(context.AppContext, "make_client", lambda *a, **k: client_for(handler))
    result = cli("review", "list")
    assert result.exit_code == ExitCode.AUTH
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Review management or Premium Pro" in lines[0]
    assert "Traceback" not in result.stderr
