"""``ozonctl payout summary``: a month on one screen — gross sales, each deduction, the
net payout, Ozon's own balance figures beside it, and the top products."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.commands.payout._dates import OneMonthOption

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.finance import Balance
    from ozonctl.domain.ledger import Line, Totals

ZERO = Decimal("0.00")


@dataclass
class Tally:
    """Per-product and per-type sums of one month's lines, in one currency."""

    currency: str
    revenue: dict[int, Decimal] = field(default_factory=dict)
    deductions: dict[int, Decimal] = field(default_factory=dict)
    by_type: dict[tuple[str, int | None, str], Decimal] = field(default_factory=dict)

    def add(self, line: Line) -> None:
        from ozonctl.domain.ledger import DEDUCTIONS

        if line.currency != self.currency:
            return
        key = (line.kind, line.type_id, line.type_name)
        self.by_type[key] = self.by_type.get(key, ZERO) + line.amount
        if line.sku is None:
            return
        if line.kind == "sales":
            self.revenue[line.sku] = self.revenue.get(line.sku, ZERO) + line.amount
        elif line.kind in DEDUCTIONS:
            self.deductions[line.sku] = self.deductions.get(line.sku, ZERO) + line.amount

    def types_of(self, kind: str) -> list[dict[str, Any]]:
        found = [
            {"type_id": tid, "name": name, "amount": amount}
            for (k, tid, name), amount in self.by_type.items()
            if k == kind
        ]
        return sorted(found, key=lambda t: (-abs(t["amount"]), t["name"]))


def top(amounts: dict[int, Decimal], n: int, *, lowest: bool = False) -> list[tuple[int, Decimal]]:
    """The ``n`` largest (or most negative) amounts, ties by SKU."""
    items = [(sku, a) for sku, a in amounts.items() if a != 0]
    items.sort(key=lambda it: (it[1] if lowest else -it[1], it[0]))
    return items[:n]


def product_names(client: OzonClient, skus: Iterable[int]) -> dict[int, tuple[str, str]]:
    """SKU → (offer id, name) from /v3/product/info/list; empty if that fails."""
    from ozonctl.client import endpoints
    from ozonctl.client.errors import APIError

    wanted = sorted(set(skus))
    if not wanted:
        return {}
    try:
        raw = client.call(endpoints.get("product.info"), {"sku": [str(s) for s in wanted]})
    except APIError:
        return {}
    names: dict[int, tuple[str, str]] = {}
    for item in (raw.get("items") if isinstance(raw, dict) else None) or []:
        if not isinstance(item, dict):
            continue
        found = [item.get("sku"), *(s.get("sku") for s in item.get("sources") or [])]
        for sku in found:
            try:
                names[int(sku)] = (str(item.get("offer_id") or ""), str(item.get("name") or ""))
            except (TypeError, ValueError):
                continue
    return names


def build_summary(
    *,
    month: str,
    start: dt.date,
    end: dt.date,
    totals: Totals,
    tally: Tally,
    balance: Balance | None,
    names: dict[int, tuple[str, str]],
    n: int,
) -> dict[str, Any]:
    """The summary's figures (the --json document; the screen shows the same)."""
    from ozonctl.domain.ledger import DEDUCTIONS

    cur = tally.currency
    net = totals.net(cur)

    def product(sku: int, key: str, amount: Decimal) -> dict[str, Any]:
        offer, name = names.get(sku, ("", ""))
        return {"sku": sku, "offer_id": offer, "name": name, key: amount}

    doc: dict[str, Any] = {
        "month": month,
        "from": start,
        "to": end,
        "currency": cur,
        "gross_sales": totals.kind("sales", cur),
        "deductions": [
            {"kind": k, "amount": totals.kind(k, cur), "types": tally.types_of(k)}
            for k in DEDUCTIONS
        ],
        "total_deductions": sum((totals.kind(k, cur) for k in DEDUCTIONS), ZERO),
        "compensations": totals.kind("compensations", cur),
        "net_payout": net,
        "lines": totals.lines,
        "balance": None,
        "top_by_revenue": [product(s, "revenue", a) for s, a in top(tally.revenue, n)],
        "top_by_deductions": [
            product(s, "deductions", a) for s, a in top(tally.deductions, n, lowest=True)
        ],
    }
    if balance is not None:
        doc["balance"] = {
            "opening_balance": balance.opening_balance,
            "accrued": balance.accrued,
            "payments": balance.payments,
            "closing_balance": balance.closing_balance,
            "accrued_matches_net": balance.accrued == net,
        }
    return doc


def summary(
    month: OneMonthOption,
    top_n: Annotated[
        int, typer.Option("--top", min=1, max=100, help="How many top products to show.")
    ] = 5,
) -> None:
    """A month on one screen: gross sales, each deduction, the net payout (checked
    against Ozon's balance report) and the top products by revenue and by deductions."""
    from ozonctl.cli.context import app_context
    from ozonctl.commands.payout._dates import month_bounds, parse_month, period, today
    from ozonctl.commands.payout._walk import note_other_types
    from ozonctl.domain.ledger import Totals, load_catalog, walk_lines
    from ozonctl.errors import UsageError

    ctx = app_context()
    year, mon = parse_month(month)
    first, last = month_bounds(year, mon)
    if first > today():
        raise UsageError(f"--month {month} has not started yet")
    start, end, _ = period(first.isoformat(), last.isoformat())
    client = ctx.client()
    catalog = load_catalog(client)
    totals = Totals()
    tallies: dict[str, Tally] = {}
    with ctx.output.progress(f"Accruals {start} … {end}", total=(end - start).days + 1) as bar:
        for line in walk_lines(client, catalog, start, end, on_day=bar.advance):
            totals.add(line)
            tallies.setdefault(line.currency, Tally(line.currency)).add(line)
    currency = max(
        totals.currencies,
        key=lambda c: sum(n for (cur, _), n in totals.counts.items() if cur == c),
    )
    if len(totals.currencies) > 1:
        others = ", ".join(c for c in totals.currencies if c != currency)
        ctx.output.warn(f"accruals in {others} too; see `ozonctl payout totals` for them")
    tally = tallies.get(currency) or Tally(currency)
    balance = client.finance.balance(start, end)
    skus = [s for s, _ in top(tally.revenue, top_n)]
    skus += [s for s, _ in top(tally.deductions, top_n, lowest=True)]
    doc = build_summary(
        month=f"{year:04d}-{mon:02d}",
        start=start,
        end=end,
        totals=totals,
        tally=tally,
        balance=balance,
        names=product_names(client, skus),
        n=top_n,
    )
    ctx.output.document(doc, human=lambda: render(ctx.output, doc))
    note_other_types(ctx.output, totals)
    if balance.accrued != doc["net_payout"]:
        ctx.output.warn(
            f"Ozon's balance report says {balance.accrued} accrued, the accrual lines sum to "
            f"{doc['net_payout']}; accruals may still be arriving for this period"
        )


def render(output: Output, doc: dict[str, Any]) -> None:
    """The summary for a person (a terminal) or as ``key<TAB>value`` lines (a pipe)."""
    from ozonctl.commands.payout._render import render_summary, summary_pairs

    if output.human:
        render_summary(output, doc)
        return
    for key, value in summary_pairs(doc):
        output.stdout.write(f"{key}\t{value}\n")
    output.stdout.flush()
