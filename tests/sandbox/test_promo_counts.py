"""``/v1/actions`` answers each promotion's candidate count from lists made with the
shop, as Ozon has its counts ready: the first request does not walk the catalogue
(on a 100,000-product shop that took longer than Ozon's whole round trip)."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_helpers import TODAY

from ozonctl.sandbox.promotions import Promotion
from ozonctl.sandbox.shop import Shop

HEADERS = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}


def _actions(shop: Shop) -> dict[int, dict[str, Any]]:
    import json

    from ozonctl.sandbox.app import SandboxApp

    app = SandboxApp(shop, validate=False)
    answer = app.handle("GET", "/v1/actions", HEADERS, b"", "http://sandbox")
    assert answer.status == 200
    return {a["id"]: a for a in json.loads(answer.body)["result"]}


def test_the_first_promotion_list_walks_no_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    shop = Shop(2_000, 1, TODAY)
    walked: list[int] = []
    pool = Promotion.pool
    monkeypatch.setattr(
        Promotion, "pool", lambda self, *a: walked.append(self.id) or pool(self, *a)
    )
    first = _actions(shop)
    assert walked == []
    cat = shop.catalog
    for promo in shop.promos.actions.values():
        expected = [i for i in promo.pool(cat) if i not in promo.products]
        assert first[promo.id]["potential_products_count"] == len(expected) > 0


def test_the_count_follows_the_promotion_as_products_leave() -> None:
    shop = Shop(2_000, 1, TODAY)
    promo = shop.promos.actions[71003]
    before = _actions(shop)[71003]["potential_products_count"]
    promo.leave(promo.participants()[0])
    assert _actions(shop)[71003]["potential_products_count"] == before + 1
