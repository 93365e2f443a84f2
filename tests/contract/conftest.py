"""Ozon's documents: ``OZON_OPENAPI`` or ``../shared/ozon-seller-api/`` beside the repo.
Absent, every contract test skips with that reason."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
OFFICIAL = "ozon-seller-openapi-2026-06-11.json"
DERIVED = "ozon-seller-paths-2026-10-derived-from-ozon-sdk.json"
INVENTORY = "paths-inventory.json"


def spec_dir() -> Path | None:
    env = os.environ.get("OZON_OPENAPI")
    candidates = [Path(env)] if env else [REPO.parent / "shared" / "ozon-seller-api"]
    for c in candidates:
        if (c / OFFICIAL).is_file() and (c / DERIVED).is_file() and (c / INVENTORY).is_file():
            return c
    return None


@pytest.fixture(scope="session")
def specs() -> dict[str, Any]:
    folder = spec_dir()
    if folder is None:
        pytest.skip(
            "Ozon's OpenAPI documents not found: set OZON_OPENAPI to the folder holding "
            f"{OFFICIAL}, {DERIVED} and {INVENTORY} (default ../shared/ozon-seller-api/)"
        )
    return {
        "official": json.loads((folder / OFFICIAL).read_text()),
        "derived": json.loads((folder / DERIVED).read_text()),
        "inventory": {p["path"]: p for p in json.loads((folder / INVENTORY).read_text())["paths"]},
    }
