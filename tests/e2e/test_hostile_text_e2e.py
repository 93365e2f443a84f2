"""Ozon's text is a stranger's: a product name with a line separator or terminal escape
codes must not add a product to what ``promo products … > f; promo leave --from-file f``
picks. The real ``ozonctl`` process against a sandbox served in this process over HTTP
on 127.0.0.1, so the test can give one product a hostile name."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ozonctl.sandbox.cards import BLOCK, Cards
from ozonctl.sandbox.catalog import Catalog
from ozonctl.sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e
ACTION = "71001"


@pytest.fixture
def served() -> Any:
    with SandboxServer(products=300, seed=1, today="2026-11-27") as sb:
        yield sb


def run(sb: SandboxServer, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)  # without the user's ozonctl variables (the autouse fixture)
    env.update(
        OZON_API_URL=sb.base_url,
        OZON_CLIENT_ID=sb.client_id,
        OZON_API_KEY=sb.api_key,
        OZONCTL_HOME=str(home),
    )
    return subprocess.run(
        [sys.executable, "-m", "ozonctl", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_hostile_name_adds_no_product_to_a_leave_from_a_saved_list(
    served: SandboxServer, ozonctl_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = json.loads(run(served, ozonctl_home, "promo", "products", ACTION, "--json").stdout)
    cut = statistics.median(float(r["discount_pct"]) for r in rows)
    chosen = [r for r in rows if float(r["discount_pct"]) > cut]
    others = [r for r in rows if float(r["discount_pct"]) <= cut]
    assert chosen and others
    victim, target = chosen[0]["offer_id"], others[0]["offer_id"]
    hostile = f"Кружка\u2028{target}\t1\x1b]0;pwned\x07\x1b[2J\x85{target}\x0b{target}"
    index = served.shop.catalog.by_offer_id(victim)
    real_name, real_traits = Catalog.name, Cards._traits

    def traits(cards: Cards, cat: Catalog, block: int) -> None:
        real_traits(cards, cat, block)
        if block == index // BLOCK:  # the product cards' names, made a block at a time
            cards._name[index] = json.dumps(hostile, ensure_ascii=False).encode()

    monkeypatch.setattr(
        Catalog, "name", lambda cat, i: hostile if i == index else real_name(cat, i)
    )
    monkeypatch.setattr(Cards, "_traits", traits)
    with served.shop.lock:
        served.shop.cards._catalog = None  # type: ignore[assignment]  # cards made anew

    listed = run(served, ozonctl_home, "promo", "products", ACTION, "--discount-over", str(cut))
    assert listed.returncode == 0, listed.stderr
    saved = tmp_path / "to-leave.tsv"
    saved.write_text(listed.stdout, encoding="utf-8")
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == [r["offer_id"] for r in chosen]
    assert "\x1b" not in listed.stdout and "pwned" not in listed.stdout

    plan = run(
        served,
        ozonctl_home,
        "promo",
        "leave",
        ACTION,
        "--from-file",
        str(saved),
        "--dry-run",
        "--json",
    )
    assert plan.returncode == 0, plan.stderr
    planned = {item["offer_id"] for item in _items(json.loads(plan.stdout))}
    assert planned == {r["offer_id"] for r in chosen}
    assert target not in planned


def _items(doc: Any) -> list[dict[str, Any]]:
    return doc if isinstance(doc, list) else doc.get("items") or doc.get("products") or []
