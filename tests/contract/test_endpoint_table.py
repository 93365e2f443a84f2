"""Every path in the endpoint table exists in Ozon's documents, with its method, and is
neither deprecated nor past an announced switch-off date; item limits do not exceed the
documented ones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from ozonctl.client.endpoints import ENDPOINTS, RETIRED, Endpoint

pytestmark = pytest.mark.contract
TODAY = dt.date(2026, 11, 27)


def operation(specs: dict[str, Any], ep: Endpoint) -> tuple[str, dict[str, Any]] | None:
    for name in ("official", "derived"):
        item = specs[name]["paths"].get(ep.path)
        if item and ep.method.lower() in item:
            return name, item[ep.method.lower()]
    return None


@pytest.mark.parametrize("ep", ENDPOINTS.values(), ids=lambda e: e.key)
def test_path_and_method_are_documented(specs: dict[str, Any], ep: Endpoint) -> None:
    assert operation(specs, ep) is not None, f"{ep.method} {ep.path} is in neither document"


@pytest.mark.parametrize("ep", ENDPOINTS.values(), ids=lambda e: e.key)
def test_not_deprecated_nor_switched_off(specs: dict[str, Any], ep: Endpoint) -> None:
    official = specs["official"]["paths"].get(ep.path, {}).get(ep.method.lower())
    if official is not None:
        assert not official.get("deprecated"), f"{ep.path} is deprecated in the official spec"
    row = specs["inventory"].get(ep.path)
    assert row is not None, f"{ep.path} missing from paths-inventory.json"
    assert not row.get("deprecated_flag_2026_06_11")
    off = row.get("switch_off")
    if off:
        date = dt.date.fromisoformat(re.findall(r"\d{4}-\d{2}-\d{2}", off)[0])
        assert date > TODAY, f"{ep.path} was switched off on {date}; use {row.get('successor')}"


@pytest.mark.parametrize(
    "ep", [e for e in ENDPOINTS.values() if e.items_field], ids=lambda e: e.key
)
def test_item_limits_are_within_the_documented_ones(specs: dict[str, Any], ep: Endpoint) -> None:
    official = specs["official"]["paths"].get(ep.path, {}).get("post")
    if official is None:
        pytest.skip(f"{ep.path} is only in the derived document, which has no limits")
    schema = official["requestBody"]["content"]["application/json"]["schema"]
    schema = resolve(specs["official"], schema)
    field = resolve(specs["official"], schema.get("properties", {}).get(ep.items_field, {}))
    documented = field.get("maxItems")
    if documented is not None:
        assert ep.max_items is not None and ep.max_items <= documented


def test_retired_paths_are_not_in_the_table_and_are_really_retired(specs: dict[str, Any]) -> None:
    table_paths = {e.path for e in ENDPOINTS.values()}
    for old, new in RETIRED.items():
        assert old not in table_paths
        row = specs["inventory"].get(old)
        if row is None:
            continue  # in no snapshot since 2025-08: long gone
        assert (
            row.get("switch_off")
            or row.get("deprecated_flag_2026_06_11")
            or not row.get("in_ozon_sdk_0_2_0_2026_10")
        ), f"{old} is not announced as retired"
        assert new in specs["inventory"], new


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node
