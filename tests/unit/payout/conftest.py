"""Fixtures of the payout unit tests; the fake itself is in ``payout_fake``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import respx
from payout_fake import FakeFinance


@pytest.fixture
def fake(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFinance]:
    """A ``FakeFinance`` behind respx, credentials in the environment, today 2026-11-27,
    the client's own rate limiter off (these tests are about what is sent, not when)."""
    from ozonctl.commands.payout import _dates

    assert cli("config", "set", "rps", "0").exit_code == 0
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    monkeypatch.setattr(_dates, "today", lambda: dt.date(2026, 11, 27))
    api = FakeFinance()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="api-seller.ozon.ru").mock(side_effect=api)
        yield api
