"""Payout commands as real processes against the real sandbox: the fewest requests for a
three-month range, totals that agree with the balance report to the kopeck, pipes,
--json, --csv, and the other reports.

The sandbox runs with ``--no-validate``: Ozon's OpenAPI gives ``/v1/finance/accrual/by-day``
``date`` the placeholder ``pattern: " YYYY-MM-DD"``, which no real date matches, so a
validating sandbox refuses every by-day call. The request bodies are checked against the
schema (less that placeholder) in ``tests/unit/payout/test_payout_spec.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.sandbox_args("--no-validate")]

BY_DAY = "/v1/finance/accrual/by-day"
BALANCE = "/v1/finance/balance"
START, END = dt.date(2026, 8, 1), dt.date(2026, 10, 31)  # three months, 92 days


def reset_log(sandbox: Any) -> None:
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10).raise_for_status()


def pages_needed(sandbox: Any, days: list[dt.date]) -> dict[str, int]:
    """How many by-day calls the method needs for each day, walked by hand: follow
    ``last_id`` until the answer has no accruals or no ``last_id`` (429s waited out)."""
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    needed: dict[str, int] = {}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10) as http:
        for day in days:
            last_id, calls = "", 0
            while True:
                resp = http.post(BY_DAY, json={"date": day.isoformat(), "last_id": last_id})
                if resp.status_code == 429:
                    time.sleep(0.05)
                    continue
                calls += 1
                answer = resp.json()
                if not answer["accruals"] or not answer["last_id"]:
                    break
                last_id = answer["last_id"]
            needed[day.isoformat()] = calls
    return needed


@pytest.mark.sandbox_args("--no-validate", "--rps", "50")
def test_three_months_fewest_requests_and_totals_agree_with_the_balance(
    sandbox: Any, ozonctl: Any
) -> None:
    period = ("--from", START.isoformat(), "--to", END.isoformat())
    r = ozonctl("payout", "totals", *period, "--json")
    assert r.exit_code == 0, r.stderr
    totals = r.json()
    log = sandbox.requests()
    assert {e["status"] for e in log} == {200}  # never above the sandbox's 50 requests/s
    by_path = Counter(e["path"] for e in log)
    assert set(by_path) == {BY_DAY, "/v1/finance/accrual/types"}
    assert by_path["/v1/finance/accrual/types"] == 1
    sent = [(e["body"]["date"], e["body"]["last_id"]) for e in log if e["path"] == BY_DAY]
    assert len(sent) == len(set(sent))  # no page asked for twice
    assert all(set(e["body"]) == {"date", "last_id"} for e in log if e["path"] == BY_DAY)
    per_day = Counter(d for d, _ in sent)
    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    assert sorted(per_day) == [d.isoformat() for d in days]
    assert sorted(d for d, k in sent if k == "") == [d.isoformat() for d in days]
    reset_log(sandbox)
    # exactly the calls the method needs, day by day, walked independently
    assert pages_needed(sandbox, days) == dict(per_day)
    reset_log(sandbox)

    r = ozonctl("payout", "balance", *period, "--json")
    assert r.exit_code == 0, r.stderr
    balance = r.json()
    assert sorted((e["body"] for e in sandbox.requests(BALANCE)), key=str) == [
        {"date_from": "2026-08-01", "date_to": "2026-08-31"},
        {"date_from": "2026-09-01", "date_to": "2026-10-01"},
        {"date_from": "2026-10-02", "date_to": "2026-10-31"},
    ]
    assert len(sandbox.requests()) == 3
    net = Decimal(totals["currencies"]["RUB"]["net"])
    assert net == Decimal(balance["accrued"])
    kinds = totals["currencies"]["RUB"]["kinds"]
    assert Decimal(kinds["sales"]) > 0 and Decimal(kinds["commission"]) < 0
    assert net == sum((Decimal(v) for v in kinds.values()), Decimal(0))
    assert Decimal(balance["closing_balance"]) == Decimal(balance["opening_balance"]) + Decimal(
        balance["accrued"]
    ) - Decimal(balance["payments"])

    reset_log(sandbox)
    r = ozonctl("payout", "transactions", *period, "--json")
    assert r.exit_code == 0, r.stderr
    lines = r.json()
    assert [x["date"] for x in lines] == sorted(x["date"] for x in lines)
    assert sum((Decimal(x["amount"]) for x in lines), Decimal(0)) == net
    for kind, amount in kinds.items():
        assert Decimal(amount) == sum(
            (Decimal(x["amount"]) for x in lines if x["kind"] == kind), Decimal(0)
        )
    # answered pages only: the walk above drained the sandbox's bucket, so the burst of
    # this one may meet 429s, which are resent (a 429 was not served)
    again = [
        (e["body"]["date"], e["body"]["last_id"])
        for e in sandbox.requests(BY_DAY)
        if e["status"] == 200
    ]
    assert sorted(again) == sorted(sent)


def test_transactions_pipe_csv_type_and_posting(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    day = ("--from", "2026-10-05", "--to", "2026-10-07")
    r = ozonctl("payout", "transactions", *day)
    assert r.exit_code == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows and all(len(x) == 10 for x in rows)
    assert {x[0] for x in rows} == {"2026-10-05", "2026-10-06", "2026-10-07"}
    assert r.stderr == ""  # no progress bar, no notes in a pipe

    out = tmp_path / "tx.csv"
    r = ozonctl("payout", "transactions", *day, "--csv", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == len(rows)
    assert [t["amount"] for t in table] == [x[8] for x in rows]

    r = ozonctl("payout", "transactions", *day, "--type", "services", "--json")
    services = r.json()
    assert services and {x["kind"] for x in services} == {"services"}
    assert len(services) == sum(1 for x in rows if x[7] == "services")

    posting = next(x[2] for x in rows if x[3] == "POSTING" and x[7] == "sales")
    reset_log(sandbox)
    r = ozonctl("payout", "transactions", "--posting", posting, "--json")
    assert r.exit_code == 0, r.stderr
    assert [e["body"] for e in sandbox.requests("/v1/finance/accrual/postings")] == [
        {"posting_numbers": [posting]}
    ]
    assert not sandbox.requests(BY_DAY)
    mine = r.json()
    assert mine and {x["unit"] for x in mine} == {posting}
    on_day = {x["date"] for x in mine} & {x[0] for x in rows}
    for date in on_day:
        by_posting = sum((Decimal(x["amount"]) for x in mine if x["date"] == date), Decimal(0))
        by_day = sum((Decimal(x[8]) for x in rows if x[2] == posting and x[0] == date), Decimal(0))
        assert by_posting == by_day


def test_summary_report_and_cashflow(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("payout", "summary", "--month", "2026-10", "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["balance"]["accrued_matches_net"] is True
    assert Decimal(doc["net_payout"]) == Decimal(doc["balance"]["accrued"])
    assert Decimal(doc["net_payout"]) == Decimal(doc["gross_sales"]) + Decimal(
        doc["total_deductions"]
    ) + Decimal(doc["compensations"])
    assert doc["top_by_revenue"][0]["name"]  # names looked up for the top products
    assert [e["body"] for e in sandbox.requests(BALANCE)] == [
        {"date_from": "2026-10-01", "date_to": "2026-10-31"}
    ]
    pipe = ozonctl("payout", "summary", "--month", "2026-10")
    pairs = dict(line.split("\t", 1) for line in pipe.stdout.splitlines() if "top_by" not in line)
    assert pairs["net_payout"] == doc["net_payout"] and pairs["gross_sales"] == doc["gross_sales"]

    r = ozonctl("payout", "report", "--month", "2026-10", "--json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    assert report and all(x["sku"] and x["name"] for x in report)
    assert all(
        Decimal(x["net"]) == Decimal(x["sold_total"]) - Decimal(x["returned_total"]) for x in report
    )
    assert [e["body"] for e in sandbox.requests("/v2/finance/realization")] == [
        {"month": 10, "year": 2026}
    ]

    r = ozonctl("payout", "cashflow", "--from", "2026-09-03", "--to", "2026-10-20", "--json")
    assert r.exit_code == 0, r.stderr
    flows = r.json()
    assert [x["begin"] for x in flows] == ["2026-09-01", "2026-09-16", "2026-10-01", "2026-10-16"]
    (body,) = [e["body"] for e in sandbox.requests("/v1/finance/cash-flow-statement/list")]
    assert body["date"] == {"from": "2026-09-01T00:00:00.000Z", "to": "2026-10-31T23:59:59.999Z"}
    assert (body["page"], body["page_size"]) == (1, 1000)


@pytest.mark.sandbox_args("--no-validate", "--fault", "/v1/finance/accrual/by-day=503:2")
def test_a_flaky_day_is_retried_and_a_retired_method_is_named(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("payout", "totals", "--from", "2026-10-01", "--to", "2026-10-03", "--json")
    assert r.exit_code == 0, r.stderr
    statuses = Counter(e["status"] for e in sandbox.requests(BY_DAY))
    assert statuses[503] == 2 and statuses[200] >= 3
    sandbox.post("/__sandbox/faults", {"rule": f"{BY_DAY}=410:1"})
    r = ozonctl("payout", "totals", "--from", "2026-10-01", "--to", "2026-10-01")
    assert r.exit_code == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "switched this method off" in r.stderr
