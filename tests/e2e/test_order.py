"""Order commands as real processes against the real sandbox: every list walks every page
(checked in the sandbox's request log and against the lists walked by hand), at-risk
finds exactly the postings it should, ship reports Ozon's real outcome, labels, tracking
numbers, and tables on a terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from orders_support import (
    api,
    bodies,
    posting_state,
    reset_log,
    run_in_terminal,
    unfulfilled,
    walk,
)

from ozonctl.cli.write_schemas import SHIP_OUTCOME

pytestmark = pytest.mark.e2e

FBS_LIST = "/v4/posting/fbs/list"
UNFULFILLED = "/v4/posting/fbs/unfulfilled/list"
FBO_LIST = "/v3/posting/fbo/list"
RETURNS = "/v1/returns/list"
SHIP = "/v4/posting/fbs/ship"
GET = "/v3/posting/fbs/get"
SELLER_STATUSES = [
    "awaiting_approve",
    "awaiting_registration",
    "awaiting_packaging",
    "awaiting_deliver",
]
UNPACKED = {"awaiting_approve", "awaiting_registration", "awaiting_packaging"}
SINCE, TO = "2026-10-28", "2026-11-27"
PERIOD = {"since": f"{SINCE}T00:00:00Z", "to": f"{TO}T23:59:59Z"}


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_cursor_chain(sent: list[Any], pages: int) -> None:
    assert len(sent) == pages >= 2
    assert all(b["limit"] == 100 for b in sent)
    assert not sent[0].get("cursor")
    cursors = [b["cursor"] for b in sent[1:]]
    assert all(cursors) and len(set(cursors)) == len(cursors)


@pytest.mark.sandbox_args("--products", "9000")
def test_every_list_walks_every_page(sandbox: Any, ozonctl: Any) -> None:
    fbs = walk(sandbox, FBS_LIST, {"filter": PERIOD})
    r = ozonctl("order", "list", "--since", SINCE, "--to", TO)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [p["posting_number"] for p in fbs]
    assert len(lines) > 1000
    sent = bodies(sandbox, FBS_LIST)[-((len(fbs) + 99) // 100) :]
    assert_cursor_chain(sent, (len(fbs) + 99) // 100)
    assert sent[0]["filter"] == PERIOD

    reset_log(sandbox)
    direct = unfulfilled(sandbox)
    r = ozonctl("order", "list", "--unfulfilled", "--json")
    assert r.exit_code == 0, r.stderr
    got = r.json()
    assert sorted(p["posting_number"] for p in got) == sorted(p["posting_number"] for p in direct)
    assert len(got) > 100
    sent = bodies(sandbox, UNFULFILLED)[-((len(got) + 99) // 100) :]
    assert_cursor_chain(sent, (len(got) + 99) // 100)
    assert {"cutoff_from", "cutoff_to"} <= set(sent[0]["filter"])

    fbo = walk(sandbox, FBO_LIST, {"filter": PERIOD})
    reset_log(sandbox)
    r = ozonctl("order", "list", "--fbo", "--since", SINCE, "--to", TO, "--json")
    assert [p["posting_number"] for p in r.json()] == [p["posting_number"] for p in fbo]
    assert_cursor_chain(bodies(sandbox, FBO_LIST), (len(fbo) + 99) // 100)

    reset_log(sandbox)
    r = ozonctl("order", "returns", "--since", "2026-08-29", "--to", TO)
    assert r.exit_code == 0, r.stderr
    ids = [int(line.split("\t")[0]) for line in r.stdout.splitlines()]
    sent = bodies(sandbox, RETURNS)
    assert len(ids) > 500 and len(sent) == (len(ids) + 499) // 500
    assert [b.get("last_id") for b in sent] == [None, *ids[499:-1:500]]
    assert all(b["limit"] == 500 for b in sent)
    window = sent[0]["filter"]["logistic_return_date"]
    direct: list[Any] = []
    last_id = 0
    while True:
        page = api(
            sandbox,
            RETURNS,
            {"limit": 500, "last_id": last_id, "filter": {"logistic_return_date": window}},
        )
        direct += page["returns"]
        if not page["has_next"]:
            break
        last_id = page["returns"][-1]["id"]
    assert ids == [x["id"] for x in direct]


@pytest.mark.sandbox_args("--products", "2000")
def test_at_risk_finds_exactly_the_postings_at_risk(sandbox: Any, ozonctl: Any) -> None:
    started = dt.datetime.now(dt.UTC)
    r = ozonctl("order", "at-risk", "--hours", "12", "--json")
    now = dt.datetime.now(dt.UTC)
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    got = {row["posting_number"]: row for row in rows}
    open_ = unfulfilled(sandbox, SELLER_STATUSES)
    assert len(bodies(sandbox, UNFULFILLED)) >= 2 * 2  # ozonctl's walk and ours: 2+ pages each
    offers = sorted(
        {i["offer_id"] for p in open_ if p["status"] in UNPACKED for i in p["products"]}
    )
    stock = api(sandbox, "/v4/product/info/stocks", {"filter": {"offer_id": offers}, "limit": 1000})
    free = {
        s["sku"]: s["present"] - s["reserved"]
        for it in stock["items"]
        for s in it["stocks"]
        if s["type"] == "fbs"
    }
    horizon = now + dt.timedelta(hours=12)
    expected, boundary = set(), set()
    for p in open_:
        due = moment(p["shipment_date"])
        # ozonctl read its clock somewhere between started and now: deadlines in that
        # stretch past the 12-hour horizon may fall either way
        if started + dt.timedelta(hours=12, seconds=-5) <= due <= horizon + dt.timedelta(seconds=5):
            boundary.add(p["posting_number"])
        no_stock = p["status"] in UNPACKED and any(
            free.get(i["sku"], 0) <= 0 for i in p["products"]
        )
        if due <= horizon or no_stock:
            expected.add(p["posting_number"])
        if p["posting_number"] in got:
            assert ("no stock" in got[p["posting_number"]]["risk"]) == no_stock
    assert set(got) - boundary == expected - boundary
    assert any("no stock" in row["risk"] for row in rows) and any(
        "overdue" in row["risk"] for row in rows
    )
    deadlines = [row["ship_by"] for row in rows]
    assert deadlines == sorted(deadlines)  # most urgent first
    offer_filters = [b["filter"]["offer_id"] for b in bodies(sandbox, "/v4/product/info/stocks")]
    assert sorted(offer_filters[0]) == offers and all(len(f) <= 1000 for f in offer_filters)

    r = ozonctl("order", "at-risk", "--hours", "12", "--fail-if-any")
    assert r.exit_code == 6 and len(r.stdout.splitlines()) == len(rows)
    assert "at risk" in r.stderr


def test_show_ship_split_and_ship_failed_then_retry(sandbox: Any, ozonctl: Any) -> None:
    open_ = unfulfilled(sandbox, ["awaiting_packaging"])
    multi = next(p for p in open_ if sum(i["quantity"] for i in p["products"]) >= 2)
    number = multi["posting_number"]
    r = ozonctl("order", "show", number, "--json")
    assert r.exit_code == 0 and r.json()["status"] == "awaiting_packaging"
    first = multi["products"][0]
    spec = f"{first['sku']}:1"
    r = ozonctl("order", "ship", number, "--package", spec, "--dry-run")
    assert r.exit_code == 0 and bodies(sandbox, SHIP) == []
    assert r.stdout.splitlines()[0] == f"1\t{spec}"

    r = ozonctl("order", "ship", "--yes", number, "--package", spec, "--json")
    doc = r.json()
    [sent] = bodies(sandbox, SHIP)
    assert sent["posting_number"] == number and len(sent["packages"]) == 2
    assert sent["packages"][0] == {"products": [{"product_id": first["sku"], "quantity": 1}]}
    if "ship_failed" in doc["counts"]:  # the sandbox fails a fixed share on the first try
        assert r.exit_code == 1 and posting_state(sandbox, number)["substatus"] == "ship_failed"
        r = ozonctl("order", "ship", "--yes", number, "--package", spec, "--json")
        doc = r.json()
    assert r.exit_code == 0, r.stderr
    assert doc["counts"] == {"shipped": 2} and len(doc["items"]) == 2
    ship_items = jsonschema.Draft202012Validator(SHIP_OUTCOME.json_schema())
    assert not [e.message for p in doc["items"] for e in ship_items.iter_errors(p)]
    shipped: Counter[int] = Counter()  # the products as SKU:QTY, split over both postings
    for p in doc["items"]:
        for part in p["products"].split(","):
            sku, qty = part.split(":")
            shipped[int(sku)] += int(qty)
    assert shipped == Counter({i["sku"]: i["quantity"] for i in multi["products"]})
    for p in doc["items"]:
        assert posting_state(sandbox, p["posting_number"])["status"] == "awaiting_deliver"
    reread = [b["posting_number"] for b in bodies(sandbox, GET)]
    assert set(reread) >= {p["posting_number"] for p in doc["items"]}

    failed = None
    for p in open_[:16]:
        if p["posting_number"] == number:
            continue
        r = ozonctl("order", "ship", "--yes", p["posting_number"])
        if r.exit_code == 1:
            failed = p["posting_number"]
            break
        fields = r.stdout.rstrip("\n").split("\t")
        assert fields[3] == "shipped"
        # the products as SKU:QTY, as every other ship output has them (not Ozon's objects)
        assert fields[4] == ",".join(f"{i['sku']}:{i['quantity']}" for i in p["products"])
    assert failed is not None, "the sandbox fails one ship in eight"
    assert "ship_failed" in r.stdout and "run `ozonctl order ship" in r.stderr
    assert posting_state(sandbox, failed)["substatus"] == "ship_failed"
    r = ozonctl("order", "ship", "--yes", failed)
    assert r.exit_code == 0 and posting_state(sandbox, failed)["status"] == "awaiting_deliver"
    assert [b["posting_number"] for b in bodies(sandbox, SHIP)].count(failed) == 2


def test_labels_and_tracking_numbers(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    deliver = unfulfilled(sandbox, ["awaiting_deliver"])
    packaging = unfulfilled(sandbox, ["awaiting_packaging"])
    printable = [p["posting_number"] for p in deliver[:3]]
    blocked = packaging[0]["posting_number"]
    out = tmp_path / "labels.pdf"
    r = ozonctl("order", "label", *printable, blocked, "-o", str(out), "--json")
    assert r.exit_code == 3, r.stderr
    doc = r.json()
    assert doc["files"] == [str(out)] and doc["printed"] == 3
    assert [u["posting_number"] for u in doc["unprinted"]] == [blocked]
    assert out.read_bytes().startswith(b"%PDF")
    assert bodies(sandbox, "/v3/posting/fbs/package-label/create") == [
        {"posting_numbers": [*printable, blocked]}
    ]
    polls = sandbox.requests("/v2/posting/fbs/package-label/get")
    assert len(polls) >= 2 and {e["status"] for e in polls} == {200}

    r = ozonctl("order", "label", blocked, "-o", str(tmp_path / "none.pdf"))
    assert r.exit_code == 1 and r.stdout.startswith(blocked + "\t")
    assert not (tmp_path / "none.pdf").exists()

    rows = [(n, f"RR{k:09d}RU") for k, n in enumerate(printable)] + [("00000000-0000-1", "X1")]
    buf = io.StringIO()
    csv.writer(buf).writerows([("posting_number", "tracking_number"), *rows])
    (tmp_path / "track.csv").write_text(buf.getvalue())
    r = ozonctl("order", "track", "--yes", "--from-file", str(tmp_path / "track.csv"))
    assert r.exit_code == 3
    result = {line.split("\t")[0]: line.split("\t") for line in r.stdout.splitlines()}
    assert result["00000000-0000-1"][2] == "false" and result["00000000-0000-1"][3]
    for n, tracking in rows[:-1]:
        assert result[n][2] == "true"
        assert posting_state(sandbox, n)["tracking_number"] == tracking
    [sent] = bodies(sandbox, "/v2/fbs/posting/tracking-number/set")
    assert len(sent["tracking_numbers"]) == 4
    r = ozonctl("order", "track", "--yes", printable[0], "NEW1", "--json")
    assert r.exit_code == 0 and r.json() == [
        {"posting_number": printable[0], "tracking_number": "NEW1", "ok": True, "error": ""}
    ]
    assert posting_state(sandbox, printable[0])["tracking_number"] == "NEW1"


def test_terminal_tables(sandbox: Any, ozonctl_home: Path) -> None:
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "list", "--unfulfilled")
    assert code == 0, out
    assert "Posting" in out and "Ship by" in out and "Warehouse" in out
    assert "awaiting_packaging" in out
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "rating")
    assert code == 0 and "Rating" in out and "rating_general_indicator_fbs_rfbs" in out
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "at-risk", "--hours", "1")
    assert code == 0 and "Hours left" in out
    number = walk(sandbox, FBS_LIST, {"filter": PERIOD})[0]["posting_number"]
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "show", number)
    assert code == 0 and "ship_by" in out and "SKU" in out and "Offer" in out
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "returns", "--since", "60d")
    assert code == 0 and "Reason" in out and "Scheme" in out
    code, out = run_in_terminal(sandbox, ozonctl_home, "order", "cancel-reasons")
    assert code == 0 and "352" in out and "Seller may use" in out


def test_label_reads_posting_numbers_from_a_file(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    deliver = unfulfilled(sandbox, ["awaiting_deliver"])
    numbers = [p["posting_number"] for p in deliver[:3]]
    ids = tmp_path / "postings.txt"
    ids.write_text(f"# to print\n{numbers[0]}\n{numbers[1]},{numbers[2]}\n", encoding="utf-8")
    out = tmp_path / "labels.pdf"
    r = ozonctl("order", "label", "--from-file", str(ids), "-o", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["printed"] == 3 and out.read_bytes().startswith(b"%PDF")
    assert bodies(sandbox, "/v3/posting/fbs/package-label/create") == [{"posting_numbers": numbers}]
    r = ozonctl("order", "label", "-o", str(tmp_path / "none.pdf"))
    assert r.exit_code == 2 and "no posting numbers" in r.stderr
