"""Ozon's documented answers, shown by the commands that show them: each command below
runs in-process against a mocked Seller API answering every method with its documented
example (or, without one, the answer built from its schema). The command succeeds, and
every money figure it prints — in its JSON and in its TSV — is one Ozon sent: a price of
"1000" is 1000.00, never 0 or empty."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from ozon_oracle import (
    COUNTS,
    MONEY_KEYS,
    SINCE_THE_DOCUMENT,
    as_decimal,
    built_example,
    examples,
    money_figures,
    todays_examples,
)

from ozonctl.client.endpoints import ENDPOINTS

pytestmark = pytest.mark.contract

BASE = "http://127.0.0.1:9"
PAGED = {e.path for e in ENDPOINTS.values() if e.paging != "none"}

COMMANDS: list[tuple[tuple[str, ...], str]] = [
    (("listing", "show", "{offer}"), "product.info"),
    (("listing", "price", "show"), "product.prices"),
    (("order", "list"), "posting.fbs.list"),
    (("order", "returns"), "returns.list"),
    (("promo", "products", "{action}"), "actions.products"),
    (("promo", "candidates", "{action}"), "actions.candidates"),
    (("promo", "requests"), "actions.discounts.list"),
    (("payout", "cashflow", "--from", "2026-11-01", "--to", "2026-11-15"), "finance.cash_flow"),
    (("payout", "balance"), "finance.balance"),
]


def answers(specs: dict[str, Any], since: bool) -> dict[str, Any]:
    """Every table path's first documented example (or built answer); ``since``: as
    Ozon answers since the document (``total_items``, ``declared_price``)."""
    out = {}
    for ep in ENDPOINTS.values():
        documented = (todays_examples(specs, ep) if since else []) or examples(specs, ep)
        out[ep.path] = documented[0] if documented else built_example(specs, ep)
    return out


def shown_money(data: Any, found: list[Any] | None = None) -> list[Any]:
    """(key, value) under money keys in a command's JSON output."""
    found = [] if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            if key in MONEY_KEYS and not isinstance(value, dict | list):
                found.append((key, value))
            else:
                shown_money(value, found)
    elif isinstance(data, list):
        for value in data:
            shown_money(value, found)
    return found


@pytest.mark.parametrize(
    ("args", "key", "since"),
    [
        pytest.param(args, key, since, id=" ".join(args) + (" (since)" if since else ""))
        for args, key in COMMANDS
        for since in (False, True)
        if not since or ENDPOINTS[key].path in SINCE_THE_DOCUMENT
    ],
)
def test_commands_show_the_documented_figures(
    specs: dict[str, Any],
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    key: str,
    since: bool,
) -> None:
    bodies = answers(specs, since)
    actions = bodies["/v1/actions"].get("result") or [{}]
    cards = bodies["/v3/product/info/list"].get("items") or [{}]
    # the product list names the products whose cards the info example holds (the two
    # examples were written apart, with other ids)
    bodies["/v3/product/list"] = {
        "result": {
            "items": [{"product_id": c.get("id"), "offer_id": c.get("offer_id")} for c in cards],
            "last_id": "",
        }
    }
    argv = [a.format(action=actions[0].get("id", 1), offer=cards[0].get("offer_id")) for a in args]
    monkeypatch.setenv("OZON_API_URL", BASE)
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    assert cli("config", "set", "rps", "0").exit_code == 0
    sent = [b for b in bodies.values()]
    figures = {amount for _, amount in money_figures(sent) if amount is not None}

    def run(*extra: str) -> Any:
        seen: set[str] = set()

        def handler(request: httpx.Request) -> httpx.Response:
            path = request.url.path
            paged = path in PAGED
            if path not in bodies or (paged and path in seen):
                return httpx.Response(200, json={})  # a page walk's last, empty page
            seen.add(path)
            return httpx.Response(200, content=json.dumps(bodies[path]).encode())

        with respx.mock(base_url=BASE, assert_all_called=False) as router:
            router.route().mock(side_effect=handler)
            return cli(*extra, *argv)

    as_json = run("--json")
    assert as_json.exit_code == 0, as_json.stderr
    COUNTS["command outputs"] += 1
    values = shown_money(json.loads(as_json.stdout or "null"))
    assert values, f"{' '.join(argv)} showed no money figure of {ENDPOINTS[key].path}'s example"
    zeros = {k for k, v in money_figures(bodies[ENDPOINTS[key].path]) if v == 0}
    for name, value in values:
        number = as_decimal(value)
        assert number is not None and number in figures, (
            f"{' '.join(argv)} shows {name} {value!r} where Ozon sent one of {sorted(figures)[:12]}"
        )
        assert number != 0 or name in zeros, f"{' '.join(argv)} shows {name} 0, Ozon sent none"
    # TSV (no header, a subset of the JSON row's fields): every decimal it prints is a
    # figure the JSON shows, so a 0.00 or an empty price in place of one is caught
    shown = {as_decimal(v) for v in leaves(json.loads(as_json.stdout or "null"))}
    tsv = run()
    assert tsv.exit_code == 0, tsv.stderr
    for line in tsv.stdout.splitlines():
        for token in line.split("\t"):
            number = as_decimal(token) if "." in token else None
            assert number is None or number in shown, f"TSV of {' '.join(argv)}: {token}"


def leaves(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [v for value in data.values() for v in leaves(value)]
    if isinstance(data, list):
        return [v for value in data for v in leaves(value)]
    return [data]
