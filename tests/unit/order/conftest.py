"""The ``ozon`` fixture: a FakeOzon behind respx, with the environment pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from fake_ozon import BASE, FakeOzon


@pytest.fixture
def ozon(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOzon]:
    monkeypatch.setenv("OZON_API_URL", BASE)
    monkeypatch.setenv("OZON_CLIENT_ID", "123")
    monkeypatch.setenv("OZON_API_KEY", "secret-key")
    with respx.mock(assert_all_called=False) as router:
        yield FakeOzon(router)
