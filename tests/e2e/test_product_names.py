"""A product is named by its offer id, SKU or product id, bare or prefixed (``offer:``,
``sku:``, ``id:``), in every command that takes one, with the same outcome (issue 18):
real ``ozonctl`` processes against the sandbox. The index answers without a request;
what it does not know is read in one batched ``/v3/product/info/list``; a token naming
two products is exit 2 naming both; an unknown one is exit 2 alone, ``not_found`` and
exit 3 in a bulk write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

WAREHOUSE = 1020000901234000
VOUCHER = 71001


def names(p: dict[str, Any]) -> list[str]:
    """Every way to name product ``p``."""
    pid, offer, sku = p["product_id"], p["offer_id"], p["sku"]
    return [offer, str(sku), str(pid), f"offer:{offer}", f"sku:{sku}", f"id:{pid}"]


def products(ozonctl: Any, n: int) -> list[dict[str, Any]]:
    rows = ozonctl("listing", "list", "--limit", str(n + 20), "--json").json()
    return [r for r in rows if r["sku"] and not r["archived"]][:n]


def reset_log(sandbox: Any) -> None:
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)


def test_listing_show_takes_any_id_with_the_fewest_requests(sandbox: Any, ozonctl: Any) -> None:
    (p,) = products(ozonctl, 1)
    for name in names(p):  # no index yet: the lookup's card is the card shown
        reset_log(sandbox)
        r = ozonctl("listing", "show", name, "--json")
        assert r.exit_code == 0, (name, r.stderr)
        assert (r.json()["product_id"], r.json()["offer_id"]) == (p["product_id"], p["offer_id"])
        assert len(sandbox.requests("/v3/product/info/list")) == 1, name
        assert sandbox.requests("/v3/product/list") == []  # no catalogue walk to name one
    assert ozonctl("sync").exit_code == 0
    reset_log(sandbox)
    r = ozonctl("listing", "show", f"sku:{p['sku']}", "--json")
    (info,) = [e["body"] for e in sandbox.requests("/v3/product/info/list")]
    assert info == {"product_id": [str(p["product_id"])]}  # the index named it: the card only
    r = ozonctl("listing", "show", "NO-SUCH-1", "--json")
    assert r.exit_code == 2 and "NO-SUCH-1" in r.stderr and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1


def test_stock_set_and_archive_from_file_by_each_id(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    ps = products(ozonctl, 8)
    free = [
        p
        for p in ps
        if not sum(sandbox.get(f"/__sandbox/state/product/{p['offer_id']}")["reserved"])
    ]
    for k, p in enumerate(free[:3]):
        token = names(p)[k]  # offer id, SKU, product id
        r = ozonctl("listing", "stock", "set", token, str(40 + k), "-w", str(WAREHOUSE), "--yes")
        assert r.exit_code == 0, (token, r.stderr)
        assert sandbox.get(f"/__sandbox/state/product/{p['offer_id']}")["present"][0] == 40 + k
    r = ozonctl("listing", "stock", "set", "sku:NOPE", "1", "-w", str(WAREHOUSE), "--yes")
    assert r.exit_code == 2 and "digits" in r.stderr

    file = tmp_path / "gone.txt"
    tokens = [names(free[0])[0], names(free[1])[4], names(free[2])[5], names(free[3])[2]]
    file.write_text("\n".join([*tokens, "NO-SUCH-1"]) + "\n", encoding="utf-8")
    r = ozonctl("listing", "archive", "--from-file", str(file), "--yes", "--json")
    assert r.exit_code == 3, r.stderr
    items = r.json()["items"]
    assert {i["product_id"]: i["result"] for i in items if i["product_id"]} == {
        p["product_id"]: "archived" for p in free[:4]
    }
    unknown = [i for i in items if i["result"] == "not_found"]
    assert len(unknown) == 1
    assert unknown[0]["offer_id"] == "NO-SUCH-1"
    assert unknown[0]["note"] == "no product has this offer id, SKU or product id"
    # the product change schema names every key; what an unknown name cannot have is null
    assert all(v is None for k, v in unknown[0].items() if k not in ("offer_id", "result", "note"))
    assert r.json()["counts"]["not_found"] == 1
    assert all(
        sandbox.get(f"/__sandbox/state/product/{p['offer_id']}")["archived"] for p in free[:4]
    )


def test_promo_join_and_leave_by_each_id(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    cands = ozonctl("promo", "candidates", str(VOUCHER), "--json").json()[:3]
    joined = []
    for k, c in enumerate(cands):
        token = names(c)[k + 3 * (k % 2)]  # offer id, sku:SKU, product id
        r = ozonctl("promo", "join", str(VOUCHER), "--product", token, "--yes", "--json")
        assert r.exit_code == 0, (token, r.stderr)
        assert [(i["product_id"], i["status"]) for i in r.json()["items"]] == [
            (c["product_id"], "joined")
        ]
        joined.append(c["product_id"])
    inside = sandbox.get(f"/__sandbox/state/action/{VOUCHER}")["product_ids"]
    assert set(joined) <= set(inside)

    file = tmp_path / "leave.txt"
    file.write_text(
        f"{cands[0]['sku']}\nid:{cands[1]['product_id']}\noffer:{cands[2]['offer_id']}\nNOPE-1\n",
        encoding="utf-8",
    )
    r = ozonctl("promo", "leave", str(VOUCHER), "--from-file", str(file), "--yes", "--json")
    assert r.exit_code == 3, r.stderr
    status = {i["offer_id"]: i["status"] for i in r.json()["items"]}
    assert status == {**{c["offer_id"]: "left" for c in cands}, "NOPE-1": "not_found"}
    inside = sandbox.get(f"/__sandbox/state/action/{VOUCHER}")["product_ids"]
    assert not set(joined) & set(inside)


def test_a_token_naming_two_products_is_exit_2_and_nothing_is_sent(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    a, b = products(ozonctl, 2)
    token = str(b["sku"])  # a's offer id becomes b's SKU: a seller's all-digit article
    sandbox.post("/__sandbox/rename", {"product_id": a["product_id"], "offer_id": token})
    for synced in (False, True):  # found at Ozon in one batch, then in the index
        if synced:
            assert ozonctl("sync").exit_code == 0
        r = ozonctl("listing", "show", token, "--json")
        assert r.exit_code == 2 and r.stdout == "", r.stderr
        line = r.stderr.strip()
        assert len(line.splitlines()) == 1
        for part in (str(a["product_id"]), str(b["product_id"]), f"offer:{token}", f"sku:{token}"):
            assert part in line, (part, line)
        show = ozonctl("listing", "show", f"offer:{token}", "--json")
        assert show.exit_code == 0 and show.json()["product_id"] == a["product_id"]
        show = ozonctl("listing", "show", f"sku:{token}", "--json")
        assert show.exit_code == 0 and show.json()["product_id"] == b["product_id"]
    reset_log(sandbox)
    file = tmp_path / "f.txt"
    file.write_text(f"{token}\n", encoding="utf-8")
    r = ozonctl("listing", "archive", "--from-file", str(file), "--yes")
    assert r.exit_code == 2 and "offer:" in r.stderr
    r = ozonctl("listing", "stock", "set", token, "1", "-w", str(WAREHOUSE), "--yes")
    assert r.exit_code == 2
    r = ozonctl("promo", "leave", str(VOUCHER), "--from-file", str(file), "--yes")
    assert r.exit_code == 2 and "offer:" in r.stderr
    writes = [
        e for e in sandbox.requests() if "/info/" not in e["path"] and "list" not in e["path"]
    ]
    assert [e["path"] for e in writes if "archive" in e["path"] or "stocks" in e["path"]] == []


@pytest.mark.parametrize(("group", "path"), [("review", "/v2/review/list"), ("question", None)])
def test_review_and_question_list_by_offer_id_as_by_sku(
    sandbox: Any, ozonctl: Any, tmp_path: Path, group: str, path: str | None
) -> None:
    """``--product``/``--sku``/``--from-file`` of review and question list take any name
    of a product: its SKU is what Ozon filters (or ozonctl, for questions) by."""
    every = ozonctl(group, "list", "--json").json()
    sku = every[0]["sku"]
    offer = ozonctl("listing", "show", f"sku:{sku}", "--json").json()["offer_id"]
    want = [x for x in every if x["sku"] == sku]
    by_sku = ozonctl(group, "list", "--sku", str(sku), "--json")
    assert by_sku.exit_code == 0 and by_sku.json() == want, by_sku.stderr
    file = tmp_path / "offers.txt"
    file.write_text(f"offer:{offer}\n", encoding="utf-8")
    for argv in (("--product", offer), ("--sku", offer), ("--from-file", str(file))):
        reset_log(sandbox)
        r = ozonctl(group, "list", *argv, "--json")
        assert r.exit_code == 0 and r.json() == want, (argv, r.stderr)
        assert len(sandbox.requests("/v3/product/info/list")) == 1  # no index: one lookup
        if path:
            assert sandbox.requests(path)[-1]["body"]["filters"]["skus"] == [str(sku)]
    assert ozonctl("sync").exit_code == 0
    reset_log(sandbox)  # a SKU the index knows: no lookup at all, as before
    r = ozonctl(group, "list", "--sku", str(sku), "--product", offer, "--json")
    assert r.exit_code == 0 and r.json() == want, r.stderr
    assert sandbox.requests("/v3/product/info/list") == []
    gone = ozonctl(group, "list", "--sku", "1659999999", "--json")  # no product has it
    assert gone.exit_code == 0 and gone.json() == [], gone.stderr
    bad = ozonctl(group, "list", "--product", "NO-SUCH-1", "--json")
    assert bad.exit_code == 2 and "NO-SUCH-1" in bad.stderr and bad.stdout == ""


# Every command that names products, as it is run with the token ``{T}``. A walk of the
# CLI finds every parameter whose help speaks of offer ids, SKUs or product ids: each
# belongs to a command here, or to EXEMPT with the reason it takes no seller's name.
NAMING = {
    "listing show": ["listing", "show", "{T}"],
    "listing archive": ["listing", "archive", "{T}", "--yes"],
    "listing unarchive": ["listing", "unarchive", "{T}", "--yes"],
    "listing delete": ["listing", "delete", "{T}", "--yes"],
    "listing margin": ["listing", "margin", "{T}"],
    "listing price show": ["listing", "price", "show", "{T}"],
    "listing price set": ["listing", "price", "set", "{T}", "--price", "999", "--yes"],
    "listing stock show": ["listing", "stock", "show", "{T}"],
    "listing stock set": ["listing", "stock", "set", "{T}", "1", "-w", str(WAREHOUSE), "--yes"],
    "promo join": ["promo", "join", str(VOUCHER), "--product", "{T}", "--yes"],
    "promo leave": ["promo", "leave", str(VOUCHER), "--product", "{T}", "--yes"],
    "promo auto-add remove": ["promo", "auto-add", "remove", "{T}", "--yes"],
    "analytics sales": ["analytics", "sales", "--product", "{T}"],
    "review list": ["review", "list", "--product", "{T}"],
    "question list": ["question", "list", "--sku", "{T}"],
}
EXEMPT = {
    ("listing price import", "file"): "a file's column says which id (offer_id, sku, product_id)",
    ("listing stock import", "file"): "a file's column says which id (offer_id, sku, product_id)",
    ("listing list", "offer"): "Ozon's own filter by offer id",
    ("listing stale", "exclude"): "an exclude list keeps every product a name may be",
    ("listing delist-stale", "exclude"): "an exclude list keeps every product a name may be",
    ("order ship", "package"): "the posting's own items, by their SKU",
    ("order cancel", "product"): "the posting's own items, by their SKU",
}
"""Parameters that speak of product ids but take no name to resolve, and why."""
RESOLVED_OPTIONS = {"skus", "offers"}
"""``--sku N`` / ``--offer X`` of the promo writes: ``sku:N`` / ``offer:X`` to the resolver."""


def test_every_command_that_names_products_goes_through_the_resolver(
    sandbox: Any, ozonctl: Any
) -> None:
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "core"))
    from cli_tree import commands

    speaks = re.compile(r"offer ids?\b|\bSKUs?\b|product ids?\b", re.I)
    found = set()
    for path, command in commands():
        name = " ".join(path)
        for p in command.params:
            help_ = getattr(p, "help", "") or ""
            if not speaks.search(help_) or p.name == "cost_file":  # costs by offer id
                continue
            if (name, p.name) in EXEMPT or p.name in RESOLVED_OPTIONS:
                continue
            found.add(name)
    assert found == set(NAMING), "add each new product-naming command to NAMING (or EXEMPT)"

    a, b = products(ozonctl, 2)
    token = str(b["sku"])
    sandbox.post("/__sandbox/rename", {"product_id": a["product_id"], "offer_id": token})
    reset_log(sandbox)
    for name, argv in NAMING.items():
        r = ozonctl(*(token if x == "{T}" else x for x in argv))
        assert r.exit_code == 2, (name, r.exit_code, r.stderr[-500:])
        assert "names two products" in r.stderr and f"offer:{token}" in r.stderr, (name, r.stderr)
    sent = {e["path"] for e in sandbox.requests()}
    writes = {"/v1/product/archive", "/v1/product/unarchive", "/v2/products/delete"}
    writes |= {"/v2/products/stocks", "/v1/product/import/prices", "/v1/actions/products/activate"}
    writes |= {"/v1/actions/products/deactivate", "/v2/actions/auto-add/products/delete"}
    assert not sent & writes
