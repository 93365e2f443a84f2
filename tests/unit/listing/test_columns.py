"""The column-wise TOML layout of the catalogue index and sales history."""

from __future__ import annotations

import datetime as dt
import time
import tomllib
from pathlib import Path

from ozonctl.catalog import columns as cols
from ozonctl.catalog.index import CatalogEntry, CatalogIndex


def test_round_trip_with_awkward_values(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    names = ["plain", "tab\there", "new\nline", "quotes ''' inside", "", "'", "кириллица", "end''"]
    cols.write(path, {"count": len(names), "refreshed": "2026-11-27T00:00:00Z"}, {"name": names})
    header, columns = cols.load(path, ["name"]) or ({}, {})
    assert header["count"] == len(names)
    assert columns["name"][0] == "plain"
    assert columns["name"][1] == "tab\there"
    assert columns["name"][2] == "new line"
    assert "'''" not in columns["name"][3]
    assert columns["name"][4:] == ["", "'", "кириллица", "end''"]
    # Any TOML reader reads the same values.
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["columns"]["name"].split("\n")[:-1] == columns["name"]


def test_empty_and_single_empty_value(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    cols.write(path, {"count": 0}, {"a": []})
    assert cols.load(path, ["a"]) == ({"format": 1, "count": 0}, {"a": []})
    cols.write(path, {"count": 1}, {"a": [""]})
    assert cols.load(path, ["a"]) == ({"format": 1, "count": 1}, {"a": [""]})


def test_hand_edited_file_falls_back_to_tomllib(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('format = 1\ncount = 2\n[columns]\na = """\nx\ny\n"""\n', encoding="utf-8")
    assert cols.load(path, ["a"]) == ({"format": 1, "count": 2}, {"a": ["x", "y"]})


def test_corrupt_or_wrong_shape_is_moved_aside(tmp_path: Path) -> None:
    warnings: list[str] = []
    path = tmp_path / "x.toml"
    path.write_text("format = 1\ncount = 3\n[columns]\na = '''\nx\n'''\n", encoding="utf-8")
    assert cols.load(path, ["a"], warn=warnings.append) is None
    assert not path.exists() and warnings and "moved it" in warnings[0]
    path.write_text("not = [toml", encoding="utf-8")
    assert cols.load(path, ["a"], warn=warnings.append) is None
    assert len(list(tmp_path.glob("x.toml.corrupt-*"))) == 2


def test_index_of_100k_products_loads_in_under_half_a_second(tmp_path: Path) -> None:
    n = 100_000
    start = dt.date(2024, 1, 1)
    index = CatalogIndex.from_entries(
        (
            CatalogEntry(
                801_000_000 + 7 * i,
                f"MUG-{i:06d}",
                1_660_000_000 + 11 * i if i % 40 else 0,
                f"Кружка керамическая, белый, {i % 3 + 3}00 мл",
                i % 13 == 0,
                start + dt.timedelta(days=i % 700),
            )
            for i in range(n)
        ),
        refreshed=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
    )
    path = tmp_path / "index.toml"
    index.write(path)
    best = 9.9
    for _ in range(5):  # CPU time: other processes on a busy machine do not count
        began = time.process_time()
        loaded = CatalogIndex.read(path)
        hit = loaded.resolve("MUG-000007")
        best = min(best, time.process_time() - began)
    assert best < 0.5, f"loading 100k products took {best:.3f} s"
    assert len(loaded) == n
    assert hit is not None and hit.product_id == 801_000_049
    assert loaded.resolve(str(1_660_000_011)) == loaded.entry(1)
    assert loaded.by_product_id(801_000_000 + 7 * 26) == loaded.entry(26)
    assert loaded.entry(13).archived and loaded.entry(0).sku == 0
    assert loaded.refreshed == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
