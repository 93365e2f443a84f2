"""Property-based tests: money is exact from the response to the output, and every total
ozonctl computes is exactly the sum of its lines."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ozonctl.client.models.finance import (
    Accrual,
    Balance,
    BalancePeriod,
    BalanceReport,
    CashFlow,
    to_kopecks,
)
from ozonctl.client.resources.finance import BALANCE_MAX_SPAN, split_period
from ozonctl.commands.payout.summary import Tally, build_summary, top
from ozonctl.domain.ledger import KINDS, Totals, TypeCatalog, accrual_lines

TYPE_NAMES = {
    1: "Логистика",
    2: "Вознаграждение за продажу",
    3: "Обработка возврата",
    4: "Продвижение в поиске",
    5: "Компенсация за брак",
    6: "Выручка",
    7: "Что-то новое",
}


def catalog() -> TypeCatalog:
    from ozonctl.client.models.finance import AccrualType

    return TypeCatalog(AccrualType(id=k, name=v) for k, v in TYPE_NAMES.items())


# amounts as Ozon writes them: strings with up to two decimals, either sign
kopecks = st.integers(min_value=-(10**11), max_value=10**11).map(
    lambda k: str((Decimal(k) / 100).quantize(Decimal("0.01")))
)
type_ids = st.sampled_from([*TYPE_NAMES, 999])


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "RUB"}


fee = st.builds(lambda t, a: {"type_id": t, "accrued": money(a)}, type_ids, kopecks)
product = st.builds(
    lambda sku, sale, com, services, total: {
        "sku": sku,
        "commission": {"sale_amount": money(sale), "commission": money(com)},
        "delivery": {"services": services, "total_accrued": money(total)},
    },
    st.integers(1, 50),
    kopecks,
    kopecks,
    st.lists(fee, max_size=3),
    kopecks,
)


@st.composite
def accrual(draw: Any) -> dict[str, Any]:
    """Any accrual: a random breakdown and a total that may or may not match it."""
    body: dict[str, Any] = {
        "accrual_id": draw(st.integers(1, 10**12)),
        "accrued_category": draw(st.sampled_from(["POSTING", "ITEM", "NON_ITEM", "UNSPECIFIED"])),
        "date": "2026-10-05",
        "total_amount": money(draw(kopecks)),
    }
    if draw(st.booleans()):
        body["posting"] = {"products": draw(st.lists(product, max_size=3))}
    if draw(st.booleans()):
        body["item_fees"] = {
            "fees": [
                {"sku": s, "fees": f}
                for s, f in draw(st.lists(st.tuples(st.integers(1, 50), st.lists(fee)), max_size=2))
            ]
        }
    if draw(st.booleans()):
        body["non_item_fee"] = draw(fee)
    if draw(st.booleans()):
        body["container_fees"] = {"fees": draw(st.lists(fee, max_size=3))}
    if draw(st.booleans()):  # a total that is exactly its parts
        parsed = Accrual.model_validate(body)
        parts = accrual_lines(parsed, catalog())
        body["total_amount"] = money(str(sum((ln.amount for ln in parts), Decimal("0.00"))))
    return body


@settings(max_examples=200, deadline=None)
@given(st.lists(accrual(), max_size=12))
def test_lines_sum_to_each_total_and_totals_to_the_lines(raw: list[dict[str, Any]]) -> None:
    cat = catalog()
    # through JSON text, as the client gets it
    accruals = [Accrual.model_validate(json.loads(json.dumps(a))) for a in raw]
    totals = Totals()
    all_lines = []
    for acc in accruals:
        lines = accrual_lines(acc, cat)
        assert sum((ln.amount for ln in lines), Decimal(0)) == acc.total_amount.amount
        assert all(isinstance(ln.amount, Decimal) for ln in lines)
        assert all(ln.kind in KINDS for ln in lines)
        totals.add_all(lines)
        all_lines += lines
    for kind in KINDS:
        assert totals.kind(kind, "RUB") == sum(
            (ln.amount for ln in all_lines if ln.kind == kind), Decimal(0)
        )
    net = sum((a.total_amount.amount for a in accruals), Decimal(0))
    assert totals.net("RUB") == net
    assert sum((totals.kind(k, "RUB") for k in KINDS), Decimal(0)) == net
    rows = totals.rows()
    assert rows[-1]["kind"] == "net" and rows[-1]["amount"] == net
    assert sum((r["amount"] for r in rows[:-1]), Decimal(0)) == net
    # every line of kind other is listed under other_types, none dropped
    assert sum((o.amount for o in totals.other_types()), Decimal(0)) == totals.kind("other", "RUB")
    assert sum(o.lines for o in totals.other_types()) == totals.counts.get(("RUB", "other"), 0)


@settings(max_examples=100, deadline=None)
@given(st.lists(accrual(), min_size=1, max_size=10), st.integers(1, 5))
def test_summary_figures_add_up(raw: list[dict[str, Any]], n: int) -> None:
    cat = catalog()
    totals, tally = Totals(), Tally("RUB")
    for a in raw:
        for line in accrual_lines(Accrual.model_validate(a), cat):
            totals.add(line)
            tally.add(line)
    doc = build_summary(
        month="2026-10",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        totals=totals,
        tally=tally,
        balance=None,
        names={},
        n=n,
    )
    assert doc["net_payout"] == doc["gross_sales"] + doc["total_deductions"] + doc["compensations"]
    assert doc["total_deductions"] == sum((d["amount"] for d in doc["deductions"]), Decimal(0))
    for d in doc["deductions"]:
        assert d["amount"] == sum((t["amount"] for t in d["types"]), Decimal(0))
    assert len(doc["top_by_revenue"]) <= n
    revenue = [p["revenue"] for p in doc["top_by_revenue"]]
    assert revenue == sorted(revenue, reverse=True)
    assert top(tally.revenue, len(tally.revenue) + 1) == sorted(
        ((s, a) for s, a in tally.revenue.items() if a != 0), key=lambda it: (-it[1], it[0])
    )


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_a_json_number_keeps_its_exact_kopecks(k: int) -> None:
    """A two-decimal amount written as a JSON number reads back exactly."""
    exact = (Decimal(k) / 100).quantize(Decimal("0.01"))
    decoded = json.loads(json.dumps({"v": float(exact)}))["v"]  # what the client holds
    assert to_kopecks(decoded) == exact
    flow = CashFlow.model_validate({"orders_amount": decoded})
    assert flow.orders_amount == exact


def test_float_artefacts_are_quantized() -> None:
    assert to_kopecks(0.1 + 0.2) == Decimal("0.30")
    assert to_kopecks(1e-7) == Decimal("0.00")
    assert to_kopecks(2.675) == Decimal("2.68")  # the decimal written, not the binary value
    assert to_kopecks(None) == Decimal("0.00")
    assert str(to_kopecks(100)) == "100.00"


balance_part = st.builds(
    lambda o, a, p: {
        "total": {
            "opening_balance": {"value": o},
            "accrued": {"value": a, "currency_code": "RUB"},
            "payments": [{"value": x} for x in p],
            "closing_balance": {"value": round(o + a + sum(p), 2)},
        },
        "cashflows": {"services": [{"name": "x", "amount": {"value": a}}]},
    },
    st.integers(-(10**9), 10**9).map(lambda k: k / 100),
    st.integers(-(10**9), 10**9).map(lambda k: k / 100),
    st.lists(st.integers(-(10**8), 0).map(lambda k: k / 100), max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(2022, 1, 1), dt.date(2026, 11, 27)), st.integers(0, 400), st.data())
def test_balance_windows_and_combination(start: dt.date, length: int, data: Any) -> None:
    end = start + dt.timedelta(days=length)
    windows = split_period(start, end, BALANCE_MAX_SPAN)
    # contiguous, covering, each within the limit, and no more calls than needed
    assert windows[0][0] == start and windows[-1][1] == end
    for (_, b), (c, _) in itertools.pairwise(windows):
        assert c == b + dt.timedelta(days=1)
    assert all(0 <= (b - a).days <= BALANCE_MAX_SPAN for a, b in windows)
    assert len(windows) == -(-(length + 1) // (BALANCE_MAX_SPAN + 1))
    raws = [data.draw(balance_part) for _ in windows]
    parts = [
        BalancePeriod(date_from=a, date_to=b, report=BalanceReport.model_validate(r))
        for (a, b), r in zip(windows, raws, strict=True)
    ]
    bal = Balance.combine(list(reversed(parts)))
    assert bal.date_from == start and bal.date_to == end
    assert bal.accrued == sum((p.report.total.accrued.value for p in parts), Decimal(0))
    assert bal.payments == sum((p.report.total.paid for p in parts), Decimal(0))
    assert bal.opening_balance == parts[0].report.total.opening_balance.value
    assert bal.closing_balance == parts[-1].report.total.closing_balance.value
    assert bal.services["x"] == bal.accrued
