"""The payout commands in-process against the fake finance API: output in a pipe and
with --json, the requests sent, exact money, usage errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from payout_fake import TYPES, FakeFinance, accruals_of

BY_DAY = "/v1/finance/accrual/by-day"
BALANCE = "/v1/finance/balance"


def test_transactions_pipe_is_in_date_order_and_every_page_is_read(
    cli: Any, fake: FakeFinance
) -> None:
    res = cli("payout", "transactions", "--from", "2026-10-01", "--to", "2026-10-10")
    assert res.exit_code == 0, res.stderr
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    dates = [r[0] for r in rows]
    assert dates == sorted(dates)
    assert dates[0] == "2026-10-01" and dates[-1] == "2026-10-10"
    # 8 accruals a day in pages of 3: 3 calls a day, the last_id of each page passed on
    calls = fake.bodies(BY_DAY)
    assert len(calls) == 10 * 3
    assert sorted((c["date"], c["last_id"]) for c in calls) == sorted(
        (f"2026-10-{d:02d}", k) for d in range(1, 11) for k in ("", "3", "6")
    )
    # the amounts of every line sum to the accruals' totals, to the kopeck
    total = sum(Decimal(r[8]) for r in rows)
    assert total == fake.accrued(dt.date(2026, 10, 1), dt.date(2026, 10, 10))
    # the unknown type went to other, and is named on stderr
    assert any(r[5] == "999" and r[7] == "other" for r in rows)
    assert "not mapped to a kind" in res.stderr and "999" in res.stderr


def test_transactions_json_rows_carry_decimal_strings(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "transactions", "--from", "2026-10-03", "--to", "2026-10-03", "--json")
    assert res.exit_code == 0, res.stderr
    data = res.json()
    assert {r["date"] for r in data} == {"2026-10-03"}
    assert all(isinstance(r["amount"], str) for r in data)
    kinds = {r["kind"] for r in data}
    assert {"sales", "commission", "delivery", "returns", "services", "compensations"} <= kinds
    sale = next(r for r in data if r["kind"] == "sales")
    assert sale["type"] == "Sale amount" and sale["category"] == "POSTING"
    assert sale["unit"].endswith("-0001-1") and sale["sku"] >= 100


def test_transactions_type_filter_by_kind_and_id(cli: Any, fake: FakeFinance) -> None:
    res = cli(
        "payout",
        "transactions",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-02",
        "--type",
        "services,40",
        "--json",
    )
    assert res.exit_code == 0, res.stderr
    data = res.json()
    assert data and {r["kind"] for r in data} == {"services", "compensations"}
    bad = cli("payout", "transactions", "--from", "2026-10-01", "--to", "2026-10-02", "--type", "x")
    assert bad.exit_code == 2 and "not a kind" in bad.stderr


def test_transactions_by_posting_in_batches_of_200(cli: Any, fake: FakeFinance) -> None:
    args = ["payout", "transactions", "--json"]
    for n in range(450):
        args += ["--posting", f"P-{n}"]
    res = cli(*args)
    assert res.exit_code == 0, res.stderr
    sizes = [len(b["posting_numbers"]) for b in fake.bodies("/v1/finance/accrual/postings")]
    assert sizes == [200, 200, 50]
    assert not fake.bodies(BY_DAY)
    data = res.json()
    assert len(data) == 900
    assert [r["date"] for r in data] == sorted(r["date"] for r in data)
    assert {r["kind"] for r in data} == {"commission", "delivery"}


def test_transactions_csv_file(cli: Any, fake: FakeFinance, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "acc.csv"
    res = cli(
        "payout", "transactions", "--from", "2026-10-01", "--to", "2026-10-02", "--csv", str(out)
    )
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert f"wrote {len(rows)} rows to {out}" in res.stderr
    assert [p.name for p in out.parent.iterdir()] == ["acc.csv"]  # no temp file left
    assert list(rows[0]) == [
        "date",
        "accrual_id",
        "unit",
        "category",
        "sku",
        "type_id",
        "type",
        "kind",
        "amount",
        "currency",
    ]
    assert any(r["type"] == "Логистика" for r in rows)
    assert sum(Decimal(r["amount"]) for r in rows) == fake.accrued(
        dt.date(2026, 10, 1), dt.date(2026, 10, 2)
    )
    assert all("," not in r["amount"] for r in rows)


def test_totals_equal_the_sum_of_lines_and_the_balance(cli: Any, fake: FakeFinance) -> None:
    args = ("--from", "2026-09-01", "--to", "2026-10-15")
    lines = cli("payout", "transactions", *args, "--json").json()
    res = cli("payout", "totals", *args, "--json")
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    kinds = doc["currencies"]["RUB"]["kinds"]
    for kind, amount in kinds.items():
        assert Decimal(amount) == sum(
            (Decimal(r["amount"]) for r in lines if r["kind"] == kind), Decimal(0)
        )
    net = Decimal(doc["currencies"]["RUB"]["net"])
    assert net == sum(Decimal(v) for v in kinds.values())
    assert net == fake.accrued(dt.date(2026, 9, 1), dt.date(2026, 10, 15))
    assert [o["type_id"] for o in doc["other_types"]][:2] and {
        o["name"] for o in doc["other_types"]
    } >= {"Сбор за что-то новое", "type 999 (not in Ozon's catalogue)"}
    bal = cli("payout", "balance", *args, "--json").json()
    assert Decimal(bal["accrued"]) == net


def test_totals_pipe_rows_and_net(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "totals", "--from", "2026-10-01", "--to", "2026-10-01")
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert [r[0] for r in rows] == [
        "sales",
        "commission",
        "delivery",
        "returns",
        "services",
        "compensations",
        "other",
        "net",
    ]
    assert Decimal(rows[-1][1]) == sum(Decimal(r[1]) for r in rows[:-1])


def test_balance_splits_into_30_day_calls_and_combines(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "balance", "--from", "2026-08-01", "--to", "2026-10-31", "--json")
    assert res.exit_code == 0, res.stderr
    calls = sorted((b["date_from"], b["date_to"]) for b in fake.bodies(BALANCE))
    assert calls == [
        ("2026-08-01", "2026-08-31"),
        ("2026-09-01", "2026-10-01"),
        ("2026-10-02", "2026-10-31"),
    ]
    doc = res.json()
    assert Decimal(doc["accrued"]) == fake.accrued(dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    assert Decimal(doc["payments"]) == 6 * Decimal("-100.10")
    assert Decimal(doc["closing_balance"]) == Decimal(doc["opening_balance"]) + Decimal(
        doc["accrued"]
    ) + Decimal(doc["payments"])
    # float artefacts never reach the output: 0.1 + 0.2 is 0.30, three times
    assert doc["sales"]["amount"] == "0.90"
    assert doc["services"] == [{"name": "Продвижение", "amount": "-8.04"}]
    assert len(doc["periods"]) == 3


def test_balance_default_period_is_this_month(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "balance")
    assert res.exit_code == 0, res.stderr
    assert fake.bodies(BALANCE) == [{"date_from": "2026-11-01", "date_to": "2026-11-27"}]
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert [r[0] for r in rows] == ["1", "total"]


def test_cashflow_widens_to_half_months_and_pages(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "cashflow", "--from", "2026-08-03", "--to", "2026-10-20", "--json")
    assert res.exit_code == 0, res.stderr
    body = fake.bodies("/v1/finance/cash-flow-statement/list")
    assert len(body) == 1
    assert body[0]["date"] == {"from": "2026-08-01T00:00:00.000Z", "to": "2026-10-31T23:59:59.999Z"}
    assert body[0]["page"] == 1 and body[0]["page_size"] == 1000
    data = res.json()
    assert [r["begin"] for r in data] == [
        "2026-08-01",
        "2026-08-16",
        "2026-09-01",
        "2026-09-16",
        "2026-10-01",
        "2026-10-16",
    ]
    assert data[0]["services_amount"] == "-0.30" and data[0]["returns_amount"] == "-100.10"
    assert "half months" in res.stderr


def test_report_rows_are_exact(cli: Any, fake: FakeFinance) -> None:
    fake.realization_rows = [
        {
            "rowNumber": 1,
            "item": {"sku": 101, "offer_id": "A-1", "name": "Чайник", "barcode": "1"},
            "commission_ratio": 0.15,
            "seller_price_per_instance": 1234.5,
            "delivery_commission": {"quantity": 3, "amount": 3703.5, "total": 0.1 + 0.2},
            "return_commission": {"quantity": 1, "amount": 1234.5, "total": 1049.33},
        },
        {"rowNumber": 2, "item": {"sku": 102, "name": "Кружка"}},
    ]
    res = cli("payout", "report", "--month", "2026-10", "--json")
    assert res.exit_code == 0, res.stderr
    assert fake.bodies("/v2/finance/realization") == [{"month": 10, "year": 2026}]
    rows = res.json()
    assert rows[0]["price"] == "1234.50" and rows[0]["sold_total"] == "0.30"
    assert rows[0]["net"] == "-1049.03" and rows[0]["commission_ratio"] == 0.15
    assert rows[1]["net"] == "0.00" and rows[1]["sold_qty"] == 0
    assert "R-1" in res.stderr and "net -1049.03" in res.stderr
    pipe = cli("payout", "report", "--month", "2026-10")
    assert pipe.stdout.splitlines()[0].split("\t")[:4] == ["1", "101", "A-1", "Чайник"]


def test_report_not_published_yet_is_one_line(cli: Any, fake: FakeFinance) -> None:
    import httpx

    fake.answer = lambda path, body: httpx.Response(  # type: ignore[method-assign]
        404, json={"code": 5, "message": "report is not ready"}
    )
    res = cli("payout", "report", "--month", "2026-10")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "5th of the next month" in res.stderr


def test_report_refuses_an_unfinished_or_too_old_month(cli: Any, fake: FakeFinance) -> None:
    assert cli("payout", "report", "--month", "2026-11").exit_code == 2
    assert cli("payout", "report", "--month", "2023-07").exit_code == 2
    assert cli("payout", "report", "--month", "2026-13").exit_code == 2
    assert not fake.calls


def test_summary_json_carries_the_same_figures(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "summary", "--month", "2026-10", "--json")
    assert res.exit_code == 0, res.stderr
    doc = res.json()
    totals = cli("payout", "totals", "--from", "2026-10-01", "--to", "2026-10-31", "--json").json()
    kinds = totals["currencies"]["RUB"]["kinds"]
    assert doc["gross_sales"] == kinds["sales"]
    assert {d["kind"]: d["amount"] for d in doc["deductions"]} == {
        k: kinds[k] for k in ("commission", "delivery", "returns", "services", "other")
    }
    net = Decimal(doc["net_payout"])
    assert net == Decimal(totals["currencies"]["RUB"]["net"])
    assert net == Decimal(doc["gross_sales"]) + Decimal(doc["total_deductions"]) + Decimal(
        doc["compensations"]
    )
    for d in doc["deductions"]:
        assert Decimal(d["amount"]) == sum((Decimal(t["amount"]) for t in d["types"]), Decimal(0))
    assert doc["balance"]["accrued_matches_net"] is True
    assert len(doc["top_by_revenue"]) == 5
    revenue = [Decimal(p["revenue"]) for p in doc["top_by_revenue"]]
    assert revenue == sorted(revenue, reverse=True)
    assert doc["top_by_revenue"][0]["name"].startswith("Product ")
    deductions = [Decimal(p["deductions"]) for p in doc["top_by_deductions"]]
    assert deductions == sorted(deductions)
    # a month of 31 days is one balance call (to - from = 30 days)
    assert fake.bodies(BALANCE) == [{"date_from": "2026-10-01", "date_to": "2026-10-31"}]


def test_summary_pipe_is_key_value(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "summary", "--month", "2026-10", "--top", "2")
    assert res.exit_code == 0, res.stderr
    pairs = [line.split("\t", 1) for line in res.stdout.splitlines()]
    keys = [p[0] for p in pairs]
    assert keys[:5] == ["month", "from", "to", "currency", "gross_sales"]
    assert keys.count("top_by_revenue") == 2 and "net_payout" in keys
    assert dict(pairs)["balance.accrued_matches_net"] == "true"


def test_usage_errors_exit_2_and_send_nothing(cli: Any, fake: FakeFinance) -> None:
    for args in (
        ("payout", "transactions", "--to", "2026-10-01"),
        ("payout", "transactions", "--from", "2026-10-05", "--to", "2026-10-01"),
        ("payout", "transactions", "--month", "2026-10", "--from", "2026-10-01"),
        ("payout", "totals", "--month", "2026-13"),
        ("payout", "totals", "--from", "10/01/2026", "--to", "2026-10-01"),
        ("payout", "totals", "--from", "2021-12-31", "--to", "2022-01-02"),
        ("payout", "cashflow", "--from", "2026-12-01", "--to", "2026-12-02"),
        ("payout", "summary", "--month", "october"),
        ("payout", "summary", "--month", "2026-12"),
    ):
        res = cli(*args)
        assert res.exit_code == 2, (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert not fake.calls


def test_future_end_is_clamped_to_today(cli: Any, fake: FakeFinance) -> None:
    res = cli("payout", "totals", "--from", "2026-11-25", "--to", "2026-12-31", "--json")
    assert res.exit_code == 0, res.stderr
    assert sorted({b["date"] for b in fake.bodies(BY_DAY)}) == [
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ]
    assert "up to today" in res.stderr


def test_on_a_terminal_tables_and_the_summary_screen(
    cli: Any, fake: FakeFinance, monkeypatch: Any
) -> None:
    from ozonctl.cli import output

    monkeypatch.setattr(output, "_isatty", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "120")
    res = cli("payout", "summary", "--month", "2026-10", "--no-color")
    assert res.exit_code == 0, res.stderr
    screen = res.stdout
    for text in (
        "Payout summary 2026-10",
        "Gross sales",
        "Delivery and logistics",
        "Логистика",
        "Net payout",
        "matches",
        "Top products by revenue",
        "Top products by deductions",
        "Product 10",
    ):
        assert text in screen, text
    assert len(screen.splitlines()) <= 40  # one screen
    res = cli("payout", "balance", "--from", "2026-10-01", "--to", "2026-10-31", "--no-color")
    assert "Opening" in res.stdout and "Income and expenses" in res.stdout
    res = cli("payout", "totals", "--from", "2026-10-01", "--to", "2026-10-01", "--no-color")
    assert "Kind" in res.stdout and "compensations" in res.stdout and "net" in res.stdout


def test_transactions_text_rows_write_what_the_line_rows_wrote() -> None:
    """The rows ``transactions`` writes (date and amount as text) give the same JSON and
    pipe cells as ``Line.row()`` (date and Decimal) did."""
    from ozonctl.cli.output import dumps, encode_row, plain
    from ozonctl.client.models.finance import Accrual, AccrualType
    from ozonctl.commands.payout.transactions import COLUMNS, _text_row
    from ozonctl.domain.ledger import TypeCatalog, day_lines

    day = dt.date(2026, 10, 3)
    raw = {"accruals": accruals_of(day, 12)}
    raw["accruals"][0]["total_amount"]["amount"] = "1E+3"  # an exponent stays as written
    accruals = [Accrual.model_validate(a) for a in json.loads(json.dumps(raw))["accruals"]]
    catalog = TypeCatalog(AccrualType(id=t["id"], name=t["name"]) for t in TYPES)
    lines = day_lines(accruals, catalog, day)
    assert len(lines) > 12
    for line in lines:
        row, text = line.row(), _text_row(line)
        assert encode_row(text) == dumps(row)
        assert [plain(text[c.key]) for c in COLUMNS] == [plain(row[c.key]) for c in COLUMNS]


def test_a_month_or_a_from_alone_is_a_period(cli: Any, fake: FakeFinance) -> None:
    """One period vocabulary (issue 18): ``--month`` is its first to its last day, and
    ``--from`` alone runs to today."""
    res = cli("payout", "balance", "--month", "2026-10", "--json")
    assert res.exit_code == 0, res.stderr
    res = cli("payout", "balance", "--from", "2026-11-20", "--json")
    assert res.exit_code == 0, res.stderr
    assert fake.bodies(BALANCE) == [
        {"date_from": "2026-10-01", "date_to": "2026-10-31"},
        {"date_from": "2026-11-20", "date_to": "2026-11-27"},
    ]
