"""`promo products` on one of the seller's own promotions lists its products from
/v1/seller-actions/products/list, with the same columns and loss filters."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_own_promotion_products(ozonctl: Any, sandbox: Any) -> None:
    own = [p for p in ozonctl("promo", "list", "--json").json() if p["owner"] == "seller"]
    assert own
    action = own[0]
    r = ozonctl("promo", "products", str(action["id"]), "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert len(rows) == action["participating"] > 0
    assert all(row["offer_id"] and row["action_price"] for row in rows)
    calls = sandbox.requests("/v1/seller-actions/products/list")
    assert calls and all(c["body"]["action_id"] == action["id"] for c in calls)
    pipe = ozonctl("promo", "products", str(action["id"]))
    assert pipe.exit_code == 0 and len(pipe.stdout.splitlines()) == len(rows)
    lossy = ozonctl("promo", "products", str(action["id"]), "--discount-over", "99", "--json")
    assert lossy.exit_code == 0 and lossy.json() == []
