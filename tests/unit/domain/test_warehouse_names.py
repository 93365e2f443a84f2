"""Warehouses by name (issue 22): the resolver every ``--warehouse`` uses — id, the
whole name in any case, a unique start of a name; one line naming the shop's warehouses
when unknown or ambiguous; the list cached a day, asked again once on a miss."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ozonctl.client.models.account import Warehouse as OzonWarehouse
from ozonctl.domain.warehouses import FILE, Warehouses
from ozonctl.errors import UsageError
from ozonctl.state.files import read_toml, write_toml

SHOP = [
    (1_020_000_901_234_000, "Склад Москва (FBS)", False),
    (1_020_000_905_678_000, "Склад Казань (FBS)", False),
    (1_020_000_907_777_000, "Shenzhen rFBS", True),
]


class FakeClient:
    def __init__(self, rows: list[tuple[int, str, bool]]) -> None:
        self.rows = rows
        self.calls = 0
        self.account = SimpleNamespace(warehouses=self.warehouses)

    def warehouses(self) -> Any:
        self.calls += 1
        for wid, name, rfbs in self.rows:
            yield OzonWarehouse(warehouse_id=wid, name=name, status="created", is_rfbs=rfbs)


def known(tmp_path: Path, client: FakeClient) -> Warehouses:
    return Warehouses(tmp_path, lambda: client)  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1020000907777000", "Shenzhen rFBS"),
        ("shenzhen RFBS", "Shenzhen rFBS"),
        ("Склад Москва", "Склад Москва (FBS)"),
        ("склад к", "Склад Казань (FBS)"),
        ("  Shen ", "Shenzhen rFBS"),
    ],
)
def test_a_warehouse_is_found_by_id_name_or_a_unique_start(
    tmp_path: Path, typed: str, expected: str
) -> None:
    assert known(tmp_path, FakeClient(SHOP)).resolve(typed).name == expected


def test_unknown_or_ambiguous_is_one_usage_line_naming_the_warehouses(tmp_path: Path) -> None:
    wh = known(tmp_path, FakeClient(SHOP))
    with pytest.raises(UsageError) as unknown:
        wh.resolve("Склад Тверь")
    text = unknown.value.message
    assert "\n" not in text and "Склад Тверь" in text
    assert all(name in text for _, name, _ in SHOP)
    with pytest.raises(UsageError) as several:
        wh.resolve("склад")
    text = several.value.message
    assert "several" in text and "Склад Москва (FBS)" in text and "Shenzhen" not in text
    with pytest.raises(UsageError):
        wh.resolve("42")  # an id the shop does not have


def test_the_list_is_cached_a_day_and_asked_again_on_a_miss(tmp_path: Path) -> None:
    client = FakeClient(SHOP)
    assert known(tmp_path, client).resolve("Shenzhen").id == SHOP[2][0]
    assert known(tmp_path, client).resolve("Склад М").id == SHOP[0][0]
    assert client.calls == 1  # the second run read the cache
    client.rows = [*SHOP, (555, "Склад Тверь", False)]  # made at Ozon today
    assert known(tmp_path, client).resolve("склад тверь").id == 555
    assert client.calls == 2
    data = read_toml(tmp_path / FILE)
    data["checked_at"] = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    write_toml(tmp_path / FILE, data)
    assert [w.scheme for w in known(tmp_path, client).all()] == ["FBS", "FBS", "rFBS", "FBS"]
    assert client.calls == 3  # a day old: asked again
