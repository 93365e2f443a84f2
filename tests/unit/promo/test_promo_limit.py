"""``--limit N`` stops the walk of ``promo products`` too (issue 18)."""

from __future__ import annotations

from typing import Any

from promo_fake import VOUCHER, FakePromos


def test_promo_products_limit_reads_the_cards_and_fees_of_n_products(
    cli: Any, fake: FakePromos
) -> None:
    """``promo products ID --limit 1`` read the cards and fees of 1,000 products (all the
    promotion's, three calls ahead) before its one row."""
    r = cli("promo", "products", str(VOUCHER), "--limit", "1", "--json")
    assert r.exit_code == 0, r.stderr
    assert len(r.json()) == 1
    cards = [body["product_id"] for body in fake.calls("/v3/product/info/list")]
    assert cards == [[cards[0][0]]], cards
