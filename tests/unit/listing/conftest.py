from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from listing_fake import BASE_URL, FakeOzon


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOzon]:
    """A fake Seller API with 250 products; ozonctl points at it through the env."""
    shop = FakeOzon.with_products(250)
    monkeypatch.setenv("OZON_API_URL", BASE_URL)
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        router.route().mock(side_effect=shop.handle)
        yield shop
