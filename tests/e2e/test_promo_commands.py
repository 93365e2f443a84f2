"""Promo commands as real processes against the real sandbox (300 products): pipes and
--json, the requests sent (paths, bodies, pages) and the sandbox's state after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

VOUCHER, BOOST, SALE, BLACK_FRIDAY = 71001, 71002, 71003, 71004


def api(sandbox: Any, path: str, body: Any = None) -> Any:
    """Ask the sandbox as Ozon's API, with the keys (independent of ozonctl)."""
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    if path == "/v1/actions":
        r = httpx.get(sandbox.base_url + path, headers=headers, timeout=30)
    else:
        r = httpx.post(sandbox.base_url + path, json=body or {}, headers=headers, timeout=30)
    r.raise_for_status()
    return r.json()


def members(sandbox: Any, action_id: int) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    last = ""
    while True:
        page = api(
            sandbox, "/v2/actions/products", {"action_id": action_id, "limit": 100, "last_id": last}
        )
        out.update({int(p["id"]): p for p in page["products"]})
        last = page["last_id"]
        if not last or not page["products"]:
            return out


def product(sandbox: Any, token: Any) -> dict[str, Any]:
    return sandbox.get(f"/__sandbox/state/product/{token}")  # type: ignore[no-any-return]


def writes(sandbox: Any) -> list[dict[str, Any]]:
    paths = ("/v2/actions/products/deactivate", "/v1/actions/products/update")
    return [e for e in sandbox.requests() if e["path"] in paths]


def test_a_terminal_gets_a_table(sandbox: Any, ozonctl_home: Any) -> None:
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OZON", "OZONCTL_"))}
    env |= {**sandbox.env, "OZONCTL_HOME": str(ozonctl_home), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "ozonctl", "promo", "products", str(VOUCHER)],
        stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, timeout=120,
    )  # fmt: skip
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    text = screen.decode("utf-8", "replace")
    assert proc.returncode == 0, proc.stderr
    for header in ("Offer ID", "SKU", "Price", "Action price", "Max allowed", "Discount", "Stock"):
        assert header in text
    assert "%" in text and "\t" not in text


def test_list_show_products_candidates(sandbox: Any, ozonctl: Any) -> None:
    actions = {a["id"]: a for a in api(sandbox, "/v1/actions")["result"]}
    r = ozonctl("promo", "list", "--json")
    assert r.exit_code == 0, r.stderr
    rows = {x["id"]: x for x in r.json()}
    assert set(rows) == set(actions) | {5001, 5002, 5003, 5004, 5005, 5006}
    for aid, a in actions.items():
        assert rows[aid]["participating"] == a["participating_products_count"]
        assert rows[aid]["owner"] == "ozon"
    assert rows[BOOST]["leave_method"] == "update" and rows[VOUCHER]["leave_method"] == "deactivate"
    assert rows[5002]["owner"] == "seller"

    r = ozonctl("promo", "list", "--joined", "--type", "ozon")
    ids = [int(line.split("\t")[0]) for line in r.stdout.splitlines()]
    assert ids == [aid for aid, a in actions.items() if a["is_participating"]]

    r = ozonctl("promo", "show", str(SALE))
    assert r.exit_code == 0 and "Auto-add dates:" in r.stdout and "--no-auto-add" in r.stdout

    # products: every member once, joined with its card
    r = ozonctl("promo", "products", str(BOOST), "--json")
    got = {x["product_id"]: x for x in r.json()}
    want = members(sandbox, BOOST)
    assert set(got) == set(want)
    some = next(iter(got.values()))
    state = product(sandbox, some["product_id"])
    assert (some["offer_id"], some["sku"], some["name"]) == (
        state["offer_id"],
        state["sku"],
        state["name"],
    )
    assert Decimal(some["action_price"]) == Decimal(
        want[some["product_id"]]["action_price"]["amount"]
    )

    # the filters: every row really is below its min price / over the discount
    r = ozonctl("promo", "products", str(SALE), "--below-min-price", "--json")
    for x in r.json():
        assert Decimal(x["action_price"]) < Decimal(
            str(product(sandbox, x["product_id"])["min_price"])
        )
    r = ozonctl("promo", "products", str(SALE), "--discount-over", "16")
    for line in r.stdout.splitlines():
        assert Decimal(line.split("\t")[6]) > 16

    # candidates over several pages (string last_id, 100 a page)
    r = ozonctl("promo", "candidates", str(BLACK_FRIDAY))
    assert len(r.stdout.splitlines()) == actions[BLACK_FRIDAY]["potential_products_count"] > 200
    pages = [e["body"] for e in sandbox.requests("/v2/actions/candidates")]
    # ceil(total/100) pages: the walk stops once `total` items are in (no empty last page)
    expected = -(-actions[BLACK_FRIDAY]["potential_products_count"] // 100)
    assert len(pages) == expected and all(p["limit"] == 100 for p in pages)
    assert pages[0]["last_id"] == "" and len({p["last_id"] for p in pages}) == expected
    assert writes(sandbox) == []


def test_candidates_are_priced_as_join_would_send_them(sandbox: Any, ozonctl: Any) -> None:
    # The sandbox answers action price 0 for a candidate, as Ozon may.
    page = api(sandbox, "/v2/actions/candidates", {"action_id": SALE, "limit": 100, "last_id": ""})
    assert {p["action_price"]["amount"] for p in page["products"]} == {"0.00"}
    rows = ozonctl("promo", "candidates", str(SALE), "--json").json()
    assert rows and all(x["action_price"] == x["max_action_price"] for x in rows)
    assert all(Decimal(x["discount_pct"]) < 100 for x in rows)
    for x in rows:
        below = x["min_price"] is not None and Decimal(x["action_price"]) < Decimal(x["min_price"])
        assert x["below_min_price"] is below
    # --discount-over answers "would I give more than PCT % off" at the join price
    over = ozonctl("promo", "candidates", str(SALE), "--discount-over", "17", "--json").json()
    assert (
        {x["product_id"] for x in over}
        == {x["product_id"] for x in rows if Decimal(x["discount_pct"]) > 17}
        != {x["product_id"] for x in rows}
    )
    # at a steep discount some would go below their min price, and `promo join` agrees
    low = ozonctl(
        "promo", "candidates", str(SALE), "--discount", "60", "--below-min-price", "--json"
    ).json()
    assert low and all(Decimal(x["action_price"]) < Decimal(x["min_price"]) for x in low)
    pick = low[0]
    r = ozonctl(
        "promo", "join", str(SALE), "--sku", str(pick["sku"]), "--discount", "60", "--dry-run"
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout.split("\t")[4] == pick["action_price"]
    assert writes(sandbox) == []


def test_join_leave_rejoin_history_in_a_promo_code_promotion(sandbox: Any, ozonctl: Any) -> None:
    cands = ozonctl("promo", "candidates", str(VOUCHER), "--json").json()
    a, b, c = cands[:3]

    # a price above the allowed maximum is caught before sending
    too_high = str(Decimal(c["max_action_price"]) + 1)
    r = ozonctl(
        "promo", "join", str(VOUCHER), "--sku", str(c["sku"]), "--action-price", too_high, "--yes"
    )
    assert r.exit_code == 3 and "above the largest allowed" in r.stdout
    assert writes(sandbox) == []

    r = ozonctl(
        "promo",
        "join",
        str(VOUCHER),
        "--sku",
        f"{a['sku']},{b['sku']}",
        "--stock",
        "3",
        "--yes",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    assert [x["status"] for x in r.json()["items"]] == ["joined", "joined"]
    (sent,) = [e["body"] for e in writes(sandbox)]
    assert sent == {
        "action_id": VOUCHER,
        "products": [
            {
                "product_id": x["product_id"],
                "action_price": {"amount": x["max_action_price"], "currency": "RUB"},
                "stock": 3,
            }
            for x in (a, b)
        ],
    }
    now = members(sandbox, VOUCHER)
    assert now[a["product_id"]]["stock"] == 3
    assert now[a["product_id"]]["action_price"]["amount"] == a["max_action_price"]

    # dry run: the plan, no write
    r = ozonctl("promo", "leave", str(VOUCHER), "--all", "--dry-run")
    assert r.exit_code == 0 and "nothing was sent" in r.stderr
    assert len(r.stdout.splitlines()) == len(now) and len(writes(sandbox)) == 1

    # leave two by offer id from stdin (the first column of `promo products`)
    piped = "\n".join(f"{x['offer_id']}\t{x['sku']}\tname" for x in (a, b))
    r = ozonctl("promo", "leave", str(VOUCHER), "--from-file", "-", "--yes", input=piped)
    assert r.exit_code == 0, r.stderr
    lines = [line.split("\t") for line in r.stdout.splitlines()]
    assert [(x[0], x[3], x[5]) for x in lines] == [
        (a["offer_id"], "left", a["price"]),
        (b["offer_id"], "left", b["price"]),
    ]  # and the regular price each returns to
    deact = [e["body"] for e in sandbox.requests("/v2/actions/products/deactivate")]
    assert deact == [
        {"action_id": VOUCHER, "product_ids": [str(a["product_id"]), str(b["product_id"])]}
    ]
    assert VOUCHER not in product(sandbox, a["product_id"])["actions"]

    # undo it: back at the recorded price and stock
    r = ozonctl("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert [x["status"] for x in r.json()["items"]] == ["joined", "joined"]
    again = members(sandbox, VOUCHER)
    assert again[a["product_id"]]["action_price"] == now[a["product_id"]]["action_price"]
    assert again[b["product_id"]]["stock"] == 3

    r = ozonctl("promo", "history", "--json")
    assert [(h["kind"], h["status"], h["products"]) for h in r.json()] == [
        ("rejoin", "done", 2),
        ("leave", "undone", 2),
        ("join", "done", 2),
    ]
    r = ozonctl("promo", "history")
    title = api(sandbox, "/v1/actions")["result"][0]["title"]
    assert r.stdout.splitlines()[1].split("\t")[2:] == [
        "leave",
        str(VOUCHER),
        title,
        "2",
        "undone",
        "left 2",
    ]


def test_boosting_promotion_is_left_by_pricing_above_the_limit(sandbox: Any, ozonctl: Any) -> None:
    inside = ozonctl("promo", "products", str(BOOST), "--json").json()[:2]
    skus = ",".join(str(x["sku"]) for x in inside)
    r = ozonctl("promo", "leave", str(BOOST), "--sku", skus, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert [x["status"] for x in r.json()["items"]] == ["left", "left"]
    assert sandbox.requests("/v2/actions/products/deactivate") == []
    (body,) = [e["body"] for e in sandbox.requests("/v1/actions/products/update")]
    assert body["products"] == [
        {"product_id": x["product_id"], "action_price": {"amount": x["price"], "currency": "RUB"}}
        for x in inside
    ]
    assert all(BOOST not in product(sandbox, x["product_id"])["actions"] for x in inside)
    r = ozonctl("promo", "rejoin", str(BOOST), "--yes")
    assert r.exit_code == 0, r.stderr
    assert all(BOOST in product(sandbox, x["product_id"])["actions"] for x in inside)


def test_auto_add_warning_and_no_auto_add(sandbox: Any, ozonctl: Any) -> None:
    date = api(sandbox, "/v1/actions")["result"][2]["auto_add_dates"][0]
    listed = api(
        sandbox, "/v2/actions/auto-add/products/list",
        {"action_id": SALE, "auto_add_date": date, "limit": 100},
    )["products"]  # fmt: skip
    sku = str(listed[0]["sku"])
    assert ozonctl("promo", "join", str(SALE), "--sku", sku, "--yes").exit_code == 0
    r = ozonctl("promo", "leave", str(SALE), "--sku", sku, "--yes")
    assert r.exit_code == 0, r.stderr
    assert f"auto-add lists on {date[:10]}" in r.stderr and "may add these back" in r.stderr
    assert sandbox.requests("/v2/actions/auto-add/products/delete") == []

    assert ozonctl("promo", "join", str(SALE), "--sku", sku, "--yes").exit_code == 0
    r = ozonctl("promo", "leave", str(SALE), "--sku", sku, "--no-auto-add", "--yes")
    assert r.exit_code == 0, r.stderr
    (body,) = [e["body"] for e in sandbox.requests("/v2/actions/auto-add/products/delete")]
    assert body == {
        "action_id": SALE,
        "auto_add_date": date,
        "product_ids": [str(listed[0]["product_id"])],
    }
    after = api(
        sandbox, "/v2/actions/auto-add/products/list",
        {"action_id": SALE, "auto_add_date": date, "limit": 100},
    )["products"]  # fmt: skip
    assert all(p["product_id"] != listed[0]["product_id"] for p in after)


def test_seller_promotions_and_discount_requests(sandbox: Any, ozonctl: Any) -> None:
    def turned_on(aid: int) -> bool:
        found = api(sandbox, "/v1/seller-actions/list", {"limit": 100, "action_ids": [str(aid)]})
        return bool(found["actions"][0]["is_turn_on"])

    r = ozonctl("promo", "pause", "--yes", "5001")
    assert (r.exit_code, r.stdout) == (0, "5001\toff\n") and not turned_on(5001)
    r = ozonctl("promo", "pause", "--yes", "5001", "--json")
    assert r.json()["changed"] is False
    assert len(sandbox.requests("/v1/seller-actions/change-activity")) == 1
    r = ozonctl("promo", "resume", "--yes", "5001", "--json")
    assert r.json()["is_turn_on"] is True and turned_on(5001)
    r = ozonctl("promo", "resume", "--yes", "5003")
    assert r.exit_code == 2 and "has ended" in r.stderr

    tasks = ozonctl("promo", "requests", "--json").json()
    raw = api(sandbox, "/v2/actions/discounts-task/list", {"status": "ALL", "limit": 50})["tasks"]
    assert [t["id"] for t in tasks][: len(raw)] == [t["id"] for t in raw]
    open_ = [t for t in tasks if t["status"] in ("NEW", "SEEN")]
    done = next(t for t in tasks if t["status"] == "APPROVED")
    r = ozonctl("promo", "requests", "approve", str(open_[0]["id"]), str(done["id"]), "--yes")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0].split("\t")[:4] == [
        str(open_[0]["id"]), str(open_[0]["sku"]), "approved", open_[0]["requested_price"]
    ]  # fmt: skip
    assert "already APPROVED" in r.stdout
    (body,) = [e["body"] for e in sandbox.requests("/v1/actions/discounts-task/approve")]
    assert body["tasks"] == [
        {
            "id": open_[0]["id"],
            "approved_price": float(open_[0]["requested_price"]),
            "approved_quantity_min": 1,
            "approved_quantity_max": open_[0]["requested_quantity_max"],
        }
    ]
    r = ozonctl("promo", "requests", "decline", str(open_[1]["id"]), "--comment", "нет", "--yes")
    assert r.exit_code == 0, r.stderr
    status = {t["id"]: t["status"] for t in ozonctl("promo", "requests", "--json").json()}
    assert status[open_[0]["id"]] == "APPROVED" and status[open_[1]["id"]] == "DECLINED"


def test_impact_of_a_leave_from_postings(sandbox: Any, ozonctl: Any) -> None:
    today = dt.datetime.now(dt.UTC).date()  # ozonctl dates the leave by the real clock
    first = (today - dt.timedelta(days=14)).isoformat()
    sold: dict[int, int] = {}
    for path in ("/v4/posting/fbs/list", "/v3/posting/fbo/list"):  # every sale counts
        cursor = ""
        while True:
            page = api(
                sandbox, path,
                {"filter": {"since": f"{first}T00:00:00Z", "to": f"{today}T00:00:00Z"}, "limit": 100, "cursor": cursor},
            )  # fmt: skip
            for p in page["postings"]:
                if p["status"] != "cancelled" and first <= p["in_process_at"][:10] < str(today):
                    for line in p["products"]:
                        sold[line["sku"]] = sold.get(line["sku"], 0) + line["quantity"]
            cursor = page["cursor"]
            if not page["has_next"]:
                break
    inside = ozonctl("promo", "products", str(SALE), "--json").json()
    picked = [x for x in inside if sold.get(x["sku"])][:3] or inside[:3]
    skus = ",".join(str(x["sku"]) for x in picked)
    assert ozonctl("promo", "leave", str(SALE), "--sku", skus, "--yes").exit_code == 0
    r = ozonctl("promo", "impact", str(SALE), "--json")
    assert r.exit_code == 0, r.stderr
    ozon, row = r.json()  # the promotion's start (Ozon's dates, its products now), the leave
    assert ozon["kind"] == "promotion" and ozon["products"] == len(inside) - len(picked)
    assert row["kind"] == "leave" and row["products"] == len(picked) and row["days_after"] == 1
    assert row["units_before"] == sum(sold.get(x["sku"], 0) for x in picked)
    assert sandbox.requests("/v4/posting/fbs/list")
    r = ozonctl("promo", "impact", str(SALE), "--per-product")
    assert [x.split("\t")[2] for x in r.stdout.splitlines() if "\tleave\t" in x] == [
        x["offer_id"] for x in picked
    ]
