"""Confirmation audit (issue 18): every command that changes the shop, run off a
terminal without --yes, refuses with exit 2 and one line, and sends no write. A new
command must be classified here (write or not), so none slips through."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ozonctl.client.endpoints import ENDPOINTS

sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "core"))
from cli_tree import commands

WRITE_PATHS = {e.path for e in ENDPOINTS.values() if e.is_write}

NOT_SHOP_WRITES = {
    # reads
    *("promo list", "promo show", "promo products", "promo candidates", "promo history"),
    *("promo impact", "listing list", "listing show", "listing history", "listing stale"),
    *("listing margin", "listing stock cover", "promo audit", "promo auto-add list"),
    *("promo auto-add candidates", "analytics sales", "analytics budget"),
    "promo codes",  # the link to a voucher's codes file
    *("inbox templates", "chat list", "chat show", "question list", "question show"),
    "chat read",  # marks messages read: harmless to repeat, neither journalled nor asked
    *("listing price show", "listing stock show", "listing stock low", "order list"),
    *("order show", "order cancel-reasons", "order at-risk"),
    *("order penalties", "order rfbs-returns show", "order warehouses"),
    *("order giveouts show", "order giveouts barcode"),
    *("order act list", "order act show", "order act check"),
    *("order returns", "order rating", "order history", "payout transactions"),
    *("payout totals", "payout report", "payout cashflow", "payout balance"),
    *("payout summary", "review list", "review show", "doctor"),
    # local files only (keys, settings, caches), the local sandbox
    *("sync", "auth login", "auth status", "auth logout", "config show", "config set"),
    *("config get", "config profiles", "sandbox serve", "sandbox tour"),
    # asks Ozon to render a PDF of labels (or fetches an act's): nothing in the shop changes
    *("order label", "order act pdf"),
}


def test_every_shop_write_refuses_off_a_terminal_without_yes(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    def ok(*args: str) -> Any:
        r = ozonctl(*args, "--json")
        assert r.exit_code == 0, (args, r.stderr)
        return r.json()

    products = ok("listing", "list", "--limit", "20")
    offer, other = products[3]["offer_id"], products[4]["offer_id"]
    stock = ok("listing", "stock", "show", offer)
    warehouse = str(stock[0]["warehouse_id"])
    archived = ok("listing", "list", "--visibility", "ARCHIVED", "--limit", "50")
    no_sku = [p["offer_id"] for p in archived if not p.get("sku")]
    archive_ref = ok("listing", "archive", products[5]["offer_id"], "--yes")["ref"]
    ozonctl("promo", "leave", "71002", "--all", "--yes")
    requests = ok("promo", "requests")
    unfulfilled = ok("order", "list", "--unfulfilled")
    packaging = [p["posting_number"] for p in unfulfilled if p["status"] == "awaiting_packaging"]
    delivering = [p["posting_number"] for p in unfulfilled if p["status"] == "awaiting_deliver"]
    asked = [str(r["cancellation_id"]) for r in ok("order", "cancel-requests")]
    own = [p for p in ok("order", "list", "-w", "Shenzhen rFBS") if p["status"] == "delivering"]
    handed = [p for p in unfulfilled if p["posting_number"] in delivering]
    rfbs_ids = {w["warehouse_id"] for w in ok("order", "warehouses") if w["scheme"] == "rFBS"}
    to_carry = next(p["posting_number"] for p in handed if p["warehouse_id"] in rfbs_ids)
    rfbs = str(ok("order", "rfbs-returns")[0]["return_id"])
    review = ok("review", "list", "--unanswered")[0]["id"]
    chat = ok("chat", "list")[0]["id"]
    question = ok("question", "list")[0]["id"]
    on_lists = ok("promo", "auto-add", "list")
    ok("promo", "auto-add", "remove", str(on_lists[0]["offer_id"]), "--yes")
    policy = tmp_path / "policy.toml"
    policy.write_text("max_discount_pct = 0\n")
    stock_file = tmp_path / "stock.csv"
    stock_file.write_text(f"offer_id,warehouse_id,stock\n{offer},{warehouse},9\n")
    price_file = tmp_path / "price.csv"
    up = str(int(float(products[4]["price"])) + 1)
    price_file.write_text(f"offer_id,price\n{other},{up}\n")

    writes: dict[str, list[str]] = {
        "promo join": ["promo", "join", "71003", "--all-candidates"],
        "promo leave": ["promo", "leave", "71003", "--all"],
        "promo rejoin": ["promo", "rejoin", "71002"],
        "promo pause": ["promo", "pause", "5001"],
        "promo resume": ["promo", "resume", "5002"],
        "promo guard": [
            "promo",
            "guard",
            "--policy",
            str(policy),
            "--max",
            "100000",
            "--max-percent",
            "100",
        ],
        "promo auto-add remove": ["promo", "auto-add", "remove", "--all"],
        "promo auto-add undo": ["promo", "auto-add", "undo", "last"],
        "promo create": [
            *("promo", "create", "--type", "discount", "--title", "T", "--min-discount", "10"),
            *("--start", "2026-12-01", "--end", "2026-12-08"),
        ],
        "promo update": ["promo", "update", "5001", "--title", "New title"],
        "promo archive": ["promo", "archive", "5002"],
        "promo requests approve": ["promo", "requests", "approve", str(requests[0]["id"])],
        "promo requests decline": ["promo", "requests", "decline", str(requests[1]["id"])],
        "listing archive": ["listing", "archive", offer],
        "listing unarchive": ["listing", "unarchive", archived[0]["offer_id"]],
        "listing delete": ["listing", "delete", *(no_sku[:1] or [archived[0]["offer_id"]])],
        "listing restore": ["listing", "restore", archive_ref],
        "listing delist-stale": [
            *("listing", "delist-stale", "--no-sales-days", "30", "--min-age-days", "0"),
            *("--max", "100000", "--max-percent", "100"),
        ],
        "listing price set": ["listing", "price", "set", other, "--price", up],
        "listing price import": ["listing", "price", "import", str(price_file)],
        "listing stock set": ["listing", "stock", "set", offer, "9", "-w", warehouse],
        "listing stock import": ["listing", "stock", "import", str(stock_file)],
        "order ship": ["order", "ship", packaging[0]],
        "order cancel": ["order", "cancel", packaging[1], "--reason", "352", "--force"],
        "order track": ["order", "track", delivering[0], "TRACK-1"],
        "order cancel-requests approve": ["order", "cancel-requests", "approve", asked[0]],
        "order cancel-requests reject": ["order", "cancel-requests", "reject", asked[1], "-r", "x"],
        "order rfbs-returns act": ["order", "rfbs-returns", "act", rfbs, "approve"],
        "order deliver": ["order", "deliver", to_carry],
        "order last-mile": ["order", "last-mile", own[0]["posting_number"]],
        "order delivered": ["order", "delivered", own[0]["posting_number"]],
        "order act create": ["order", "act", "create", "--delivery-method", "1020000000000"],
        "review reply": ["review", "reply", review, "--text", "Спасибо"],
        "review mark": ["review", "mark", review, "processed"],
        "chat send": ["chat", "send", str(chat), "--text", "Здравствуйте"],
        "chat start": ["chat", "start", delivering[0], "--text", "Здравствуйте"],
        "question answer": ["question", "answer", str(question), "--text", "Да, подходит"],
        "api": ["api", "/v1/product/archive", "-d", '{"product_id": [1]}'],
    }
    every = {" ".join(path) for path, _ in commands()}
    assert every == set(writes) | NOT_SHOP_WRITES, "classify new commands here"

    before = len([e for e in sandbox.requests() if e["path"] in WRITE_PATHS])
    refused = {}
    for name, args in writes.items():
        r = ozonctl(*args)
        refused[name] = (r.exit_code, r.stderr.strip().splitlines()[-1:] if r.stderr else [])
    sent = [e["path"] for e in sandbox.requests() if e["path"] in WRITE_PATHS][before:]
    wrong = {n: v for n, v in refused.items() if v[0] != 2 or "--yes required" not in "".join(v[1])}
    assert not wrong, wrong
    assert sent == [], sent
