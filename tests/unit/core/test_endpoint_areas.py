"""The endpoint table is split by area; the split must not lose or shadow a row."""

from __future__ import annotations

import pkgutil

import ozonctl.client.endpoints as endpoints
from ozonctl.client.endpoints import _TABLE, BY_PATH, ENDPOINTS


def test_every_key_and_path_is_unique_across_the_area_modules() -> None:
    keys = [e.key for e in _TABLE]
    paths = [(e.method, e.path) for e in _TABLE]
    assert len(set(keys)) == len(keys), sorted(k for k in keys if keys.count(k) > 1)
    assert len(set(paths)) == len(paths)
    assert len(ENDPOINTS) == len(_TABLE) == len(BY_PATH)


def test_every_area_module_is_in_the_table() -> None:
    areas = [m.name for m in pkgutil.iter_modules(endpoints.__path__) if m.name != "row"]
    rows = {
        e.key
        for name in areas
        for e in __import__(f"ozonctl.client.endpoints.{name}", fromlist=["ROWS"]).ROWS
    }
    assert rows == set(ENDPOINTS)
    assert len(areas) >= 6
