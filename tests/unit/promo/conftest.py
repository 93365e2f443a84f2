"""The ``fake`` fixture: a ``FakePromos`` (promo_fake.py) behind respx, with credentials in
the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from promo_fake import FakePromos


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePromos]:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    api = FakePromos()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="api-seller.ozon.ru").mock(side_effect=api)
        yield api
