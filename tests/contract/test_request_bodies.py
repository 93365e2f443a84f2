"""Every request body ozonctl sends validates against Ozon's documented request schema.

A scenario runs the real ``ozonctl`` process through every command group against a
sandbox whose own checks are off (``--no-validate``), so nothing is refused on the way;
then each body in the sandbox's request log is validated here, independently, with
jsonschema against the document's schema (the official one where it has the path, else
the derived 2026-10 one), and checked for fields the schema does not know. The scenario
must reach every method in the endpoint table: a method no command calls is a gap.

The scenario is seven parts, one test each with its own sandbox, so that pytest-xdist
runs them side by side (as one test of ~150 processes it was the suite's long pole).
Each part owns methods of the endpoint table (by key) and must reach every one of them;
every method belongs to one part.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from ozonctl.client.endpoints import ENDPOINTS

pytestmark = [pytest.mark.contract, pytest.mark.e2e]


def unknown_fields(schema: Any, body: Any, where: str = "") -> list[str]:
    """Names in ``body`` that ``schema`` does not define (strict on what we send)."""
    if not isinstance(schema, dict):
        return []
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            found = [unknown_fields(s, body, where) for s in schema[key]]
            return min(found, key=len) if found else []
    if isinstance(body, dict):
        props = schema.get("properties")
        if not isinstance(props, dict) or schema.get("additionalProperties"):
            return []
        out = [f"{where}.{k}" for k in body if k not in props]
        for k, v in body.items():
            if k in props:
                out += unknown_fields(props[k], v, f"{where}.{k}")
        return out
    if isinstance(body, list) and isinstance(schema.get("items"), dict):
        return [
            e
            for i, v in enumerate(body)
            for e in unknown_fields(schema["items"], v, f"{where}[{i}]")
        ]
    return []


class Run:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OZON")}
        self.env.update(env)
        self.env["OZONCTL_HOME"] = str(home)
        self.failures: list[str] = []

    def __call__(self, *args: str, ok: tuple[int, ...] = (0,), input: str | None = None) -> Any:
        proc = subprocess.run(
            [sys.executable, "-m", "ozonctl", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=180,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        if proc.returncode not in ok:
            self.failures.append(
                f"ozonctl {' '.join(args)} -> {proc.returncode}: {proc.stderr.strip()[-300:]}"
            )
        try:
            return json.loads(proc.stdout) if "--json" in args else proc.stdout
        except ValueError:
            return None


def recent_posting(run: Run, sandbox: Any) -> str:
    """An FBS posting paid in the last 48 hours (Ozon opens a chat within 72)."""
    import datetime as dt

    state = httpx.get(sandbox.base_url + "/__sandbox/state", timeout=10).json()
    now = dt.datetime.fromisoformat(state["now"].replace("Z", "+00:00"))
    since = (now - dt.timedelta(days=3)).date().isoformat()
    postings = run("order", "list", "--since", since, "--json") or []
    return str(
        next(
            p["posting_number"]
            for p in postings
            if now - dt.datetime.fromisoformat(p["created"]) < dt.timedelta(hours=48)
        )
    )


def promotions(run: Run, sandbox: Any, tmp: Path) -> None:
    """Ozon's promotions: join, leave, rejoin, auto-add, the discount requests."""
    promos = run("promo", "list", "--json") or []
    run("promo", "show", "71003")
    run("promo", "products", "71003", "--json")
    run("promo", "candidates", "71003", "--json")
    run("promo", "join", "71003", "--all-candidates", "--yes", ok=(0, 3))
    run("promo", "leave", "71003", "--all", "--no-auto-add", "--yes", ok=(0, 3))
    run("promo", "rejoin", "71003", "--yes", ok=(0, 3))
    run("promo", "leave", "71002", "--all", "--yes", ok=(0, 3))
    run("promo", "auto-add", "candidates", "71004", "--json")
    run("promo", "auto-add", "remove", "--promotion", "71004", "--yes", ok=(0, 3))
    run("promo", "auto-add", "undo", "last", "--yes", ok=(0, 3))
    requests = run("promo", "requests", "--json") or []
    if len(requests) >= 2:
        run("promo", "requests", "approve", str(requests[0]["id"]), "--yes", ok=(0, 3))
        run("promo", "requests", "decline", str(requests[1]["id"]), "--yes", ok=(0, 3))
    assert promos, "promo list returned nothing"


def own_promotions(run: Run, sandbox: Any, tmp: Path) -> None:
    """The seller's own promotions: one of the sandbox's paused and resumed, every
    mechanic created and updated; products added, removed, put back; voucher codes; an
    archive."""
    run("promo", "products", "5001", "--json")
    run("promo", "pause", "5001", "--yes")
    run("promo", "resume", "5001", "--yes")
    dates = ("--start", "2030-01-01", "--end", "2030-02-01")
    made: dict[str, int] = {}
    for kind, extra in (
        ("discount", ("--min-discount", "10")),
        ("conditional", ("--discount", "5", "--min-order", "3000")),
        ("multilevel", ("--level", "1000:5", "--level", "2000:10", "--legal-entities")),
        ("voucher", ("--discount", "10", "--budget", "9000", "--user", "42")),
        ("installment", ()),
    ):
        when = dates[:2] if kind == "installment" else dates
        found = run(
            "promo", "create", "--yes", "--type", kind, "--title", kind, *when, *extra, "--json"
        )
        made[kind] = int(found["id"]) if found else 0
    run("promo", "update", "--yes", str(made["discount"]), "--title", "new", "--end", "2030-03-01")
    run(
        "promo",
        "update",
        "--yes",
        str(made["conditional"]),
        "--discount",
        "7",
        "--min-order",
        "900",
    )
    run("promo", "update", "--yes", str(made["multilevel"]), "--level", "500:3", "--level", "900:6")
    run("promo", "update", "--yes", str(made["installment"]), "--start", "2030-01-05")
    run("promo", "pause", str(made["voucher"]), "--yes")
    run("promo", "update", "--yes", str(made["voucher"]), "--budget", "8000", "--user", "7")
    run("promo", "codes", str(made["voucher"]))
    candidates = run("promo", "candidates", str(made["discount"]), "--json") or []
    skus = ",".join(str(c["sku"]) for c in candidates[:3])
    run("promo", "join", str(made["discount"]), "--sku", skus, "--discount", "15", "--yes")
    run("promo", "leave", str(made["discount"]), "--all", "--yes")
    run("promo", "rejoin", str(made["discount"]), "--yes")
    run("promo", "archive", str(made["installment"]), "--yes")


def listings(run: Run, sandbox: Any, tmp: Path) -> None:
    products = run("listing", "list", "--all", "--json") or []
    archived = run("listing", "list", "--all", "--visibility", "ARCHIVED", "--json") or []
    offer = products[0]["offer_id"]
    run("listing", "show", offer)
    stock = run("listing", "stock", "show", offer, products[1]["offer_id"], "--json") or []
    run(
        "listing",
        "stock",
        "set",
        offer,
        "7",
        "--warehouse",
        str(stock[0]["warehouse_id"]),
        "--yes",
        ok=(0, 3),
    )
    run("listing", "stock", "set", "--yes", offer, "7", ok=(2,))  # several warehouses: lists them
    run("listing", "price", "show", offer)
    run("listing", "stock", "low", "--json")
    # a price one rouble up (the same price is not sent again), without an old price
    # and a minimum of 1, so Ozon's rules hold whatever the product had
    up = str(int(float(products[0]["price"])) + 1)
    args = ("--price", up, "--old-price", "0", "--min-price", "1")
    run("listing", "price", "set", offer, *args, "--yes", ok=(0, 3))
    run("listing", "archive", products[2]["offer_id"], "--zero-stock", "--yes", ok=(0, 3))
    run("listing", "unarchive", products[2]["offer_id"], "--yes", ok=(0, 3))
    no_sku = [p for p in archived if not p.get("sku")]
    if no_sku:
        run("listing", "delete", no_sku[0]["offer_id"], "--yes", ok=(0, 3))
    run("sync")


def orders(run: Run, sandbox: Any, tmp: Path) -> None:
    # the account, FBS and FBO orders
    run("auth", "status")
    unfulfilled = run("order", "list", "--unfulfilled", "--json") or []
    run("order", "list", "--since", "30d", "--json")
    fbo = run("order", "list", "--fbo", "--since", "30d", "--json") or []
    if fbo:
        run("order", "show", fbo[0]["posting_number"])
    packaging = [p for p in unfulfilled if p["status"] == "awaiting_packaging"]
    delivering = [p for p in unfulfilled if p["status"] == "awaiting_deliver"]
    run("order", "show", packaging[0]["posting_number"])
    run("order", "ship", packaging[0]["posting_number"], "--yes", ok=(0, 1))
    if delivering:
        run("order", "label", delivering[0]["posting_number"], "-o", str(tmp / "l.pdf"), ok=(0, 3))
        run("order", "track", delivering[0]["posting_number"], "TRACK-1", "--yes", ok=(0, 3))
        # the sandbox's Moscow warehouse (Ozon logistics) always has postings to confirm
        made = run(
            "order", "act", "create", "--delivery-method", "1020000000000", "--yes", "--json"
        ) or {}  # fmt: skip
        act = str(made.get("act_id") or 1)
        run("order", "act", "list")
        run("order", "act", "show", act, ok=(0, 1))
        run("order", "act", "pdf", act, "-o", str(tmp / "act.pdf"), "--wait", "5", ok=(0, 1))
    run("order", "cancel-reasons")
    run("order", "cancel-reasons", packaging[1]["posting_number"])
    run(
        "order",
        "cancel",
        packaging[1]["posting_number"],
        "--reason",
        "352",
        "--force",
        "--yes",
        ok=(0, 1),
    )
    sku = (
        packaging[2]["products"][0]["sku"]
        if isinstance(packaging[2]["products"][0], dict)
        else str(packaging[2]["products"][0]).split(":")[0]
    )
    run(
        "order",
        "cancel",
        packaging[2]["posting_number"],
        "--reason",
        "352",
        "--product",
        f"{sku}:1",
        "--message",
        "out of stock",
        "--force",
        "--yes",
        ok=(0, 1),
    )
    run("order", "returns", "--since", "60d")
    run("order", "rating")
    run("order", "at-risk", "--hours", "24")
    asked = run("order", "cancel-requests", "--json") or []
    run("order", "cancel-requests", "approve", str(asked[0]["cancellation_id"]), "--yes")
    run("order", "cancel-requests", "reject", str(asked[1]["cancellation_id"]), "-r", "no", "--yes")
    run("order", "penalties")
    run("order", "rating", "--history")


def rfbs(run: Run, sandbox: Any, tmp: Path) -> None:
    """The seller's own delivery (rFBS): returns, delivery statuses, warehouses, return
    giveouts."""
    rfbs = run("order", "rfbs-returns", "--json") or []
    run("order", "rfbs-returns", "show", str(rfbs[0]["return_id"]))
    run("order", "rfbs-returns", "act", str(rfbs[0]["return_id"]), "approve", "--yes")
    run("order", "warehouses")
    own = run("order", "list", "--unfulfilled", "-w", "Shenzhen rFBS", "--json") or []
    carry = [p["posting_number"] for p in own if p["status"] == "awaiting_deliver"]
    for step in ("deliver", "last-mile", "delivered"):
        run("order", step, carry[0], "--yes")
    giveouts = run("order", "giveouts", "--json") or []
    run("order", "giveouts", "show", str(giveouts[0]["giveout_id"]))
    run("order", "giveouts", "barcode")
    run("order", "giveouts", "barcode", "--out", str(tmp / "giveout.pdf"))
    run("order", "giveouts", "barcode", "--out", str(tmp / "giveout.png"))


def finance(run: Run, sandbox: Any, tmp: Path) -> None:
    unfulfilled = run("order", "list", "--unfulfilled", "--json") or []
    # payouts
    run("payout", "transactions", "--from", "2026-11-01", "--to", "2026-11-03", "--json")
    run(
        "payout",
        "transactions",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-03",
        "--posting",
        unfulfilled[0]["posting_number"],
        "--json",
    )
    run("payout", "report", "--month", "2026-10")
    run("payout", "cashflow", "--from", "2026-10-01", "--to", "2026-10-31")
    run("payout", "balance", "--from", "2026-10-01", "--to", "2026-10-31")
    run("payout", "summary", "--month", "2026-10")
    # analytics (one request each: Ozon allows one a minute)
    run("analytics", "sales", "--from", "2026-11-01", "--to", "2026-11-26", "--source", "ozon")
    run("listing", "stock", "cover")


def service(run: Run, sandbox: Any, tmp: Path) -> None:
    # reviews
    reviews = run("review", "list", "--from", "30d", "--sku", "1660002651", "--json") or []
    reviews = reviews or run("review", "list", "--status", "PROCESSED", "--json") or []
    run("review", "show", reviews[0]["id"])
    run("inbox", "--json")
    run("review", "reply", reviews[0]["id"], "--text", "Спасибо! 谢谢", "--yes")
    run("review", "mark", reviews[0]["id"], "unprocessed", "--yes")
    # product questions and chats
    questions = run("question", "list", "--unanswered", "--json") or []
    run("question", "show", questions[0]["id"])
    run("question", "answer", questions[0]["id"], "--text", "Да, подойдёт 适合", "--yes")
    unread = run("chat", "list", "--unread", "--json") or []
    run("chat", "show", unread[0]["id"], "--last", "0")
    photo = tmp / "photo.png"
    photo.write_bytes(b"png")
    run("chat", "send", unread[0]["id"], "--text", "Здравствуйте", "--file", str(photo), "--yes")
    run("chat", "read", unread[0]["id"])
    run("chat", "start", recent_posting(run, sandbox), "--yes")


@dataclass(frozen=True)
class Part:
    """One share of the scenario, run against its own sandbox (so that pytest-xdist
    spreads the parts over its workers), and the methods of the endpoint table it must
    reach: those whose key is one of ``owns`` (words) or starts with one and a dot."""

    walk: Callable[[Run, Any, Path], None]
    owns: str

    def paths(self) -> set[str]:
        owns = self.owns.split()
        return {
            e.path
            for key, e in ENDPOINTS.items()
            if any(key == k or key.startswith(k + ".") for k in owns)
        }


PARTS = {
    "promo": Part(promotions, "actions"),
    "promo-own": Part(own_promotions, "seller_actions"),
    "listing": Part(listings, "product"),
    "order": Part(
        orders, "seller roles posting.fbs posting.fbo act cancellation rating returns.list"
    ),
    "order-rfbs": Part(rfbs, "posting.rfbs returns.rfbs giveout warehouse"),
    "finance": Part(finance, "finance analytics"),
    "service": Part(service, "review question chat"),
}


def test_every_method_of_the_endpoint_table_is_one_parts_to_reach() -> None:
    """The parts together reach every method: each method belongs to one part, which
    asserts that its share of the scenario called it."""
    owned = [path for part in PARTS.values() for path in part.paths()]
    assert len(owned) == len(set(owned)), "a method belongs to two parts"
    unowned = sorted(e.path for e in ENDPOINTS.values() if e.path not in owned)
    assert not unowned, f"no part of the scenario owns: {unowned} (add its key to PARTS)"


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.sandbox_args("--no-validate")
def test_every_request_body_matches_the_documented_schema(
    part: str, sandbox: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    from ozonctl.sandbox import spec

    if spec.find_spec_dir() is None or not spec.validation_available():
        pytest.skip("Ozon's OpenAPI documents or jsonschema not available (set OZON_OPENAPI)")
    run = Run(ozonctl_home, sandbox.env)
    PARTS[part].walk(run, sandbox, tmp_path)
    assert not run.failures, "\n".join(run.failures)

    log = sandbox.requests()
    problems: list[str] = []
    seen: set[str] = set()
    table = {(e.method, e.path) for e in ENDPOINTS.values()}
    for entry in log:
        method, path, body = entry["method"], entry["path"], entry.get("body")
        if path.startswith("/__sandbox"):
            continue
        seen.add(path)
        if (method, path) not in table:
            problems.append(f"{method} {path}: not in the endpoint table")
            continue
        if method == "GET":
            continue
        validator = spec.request_validator(path, method)
        found = spec.request_schema(path, method)
        if validator is None or found is None:
            continue  # the document defines no JSON body for this method
        errors = validator(body)
        extra = unknown_fields(found[1], body)
        if errors or extra:
            problems.append(f"POST {path}: {errors or ''} {extra or ''} body={str(body)[:300]}")
    assert not problems, "\n".join(problems[:20])
    missing = sorted(PARTS[part].paths() - seen)
    assert not missing, f"no command in the {part} part of the scenario called: {missing}"
