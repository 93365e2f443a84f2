"""The payout summary for a person (rich, one screen) and for a pipe (tab-separated)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

    from ozonctl.cli.output import Output

MAX_TYPES_SHOWN = 6
LABELS = {
    "commission": "Commission",
    "delivery": "Delivery and logistics",
    "returns": "Returns",
    "services": "Services and promotion",
    "other": "Other (not mapped to a kind)",
}


def money(value: Decimal) -> str:
    """``1 234 567.89`` for reading (thin grouping; the exact value, two decimals)."""
    return f"{value:,.2f}".replace(",", " ")


def summary_pairs(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The summary as ``key, value`` pairs (pipe output): figures, then top products as
    ``top_by_revenue`` / ``top_by_deductions`` with ``sku<TAB>offer<TAB>amount``."""
    for key in ("month", "from", "to", "currency", "gross_sales"):
        yield key, str(doc[key])
    for d in doc["deductions"]:
        yield d["kind"], str(d["amount"])
    for key in ("total_deductions", "compensations", "net_payout", "lines"):
        yield key, str(doc[key])
    bal = doc.get("balance")
    if bal:
        for key, value in bal.items():
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            yield f"balance.{key}", text
    for key, amount_key in (("top_by_revenue", "revenue"), ("top_by_deductions", "deductions")):
        for p in doc[key]:
            yield key, f"{p['sku']}\t{p['offer_id']}\t{p[amount_key]}"


def _figures(doc: dict[str, Any]) -> Table:
    from rich.table import Table

    table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    table.add_column("What")
    table.add_column("Amount", justify="right")
    table.add_row("[bold]Gross sales[/bold]", f"[bold]{money(doc['gross_sales'])}[/bold]")
    for d in doc["deductions"]:
        if d["amount"] == 0 and not d["types"]:
            continue
        table.add_row(LABELS.get(d["kind"], d["kind"]), money(d["amount"]))
        shown = d["types"][:MAX_TYPES_SHOWN]
        for t in shown:
            table.add_row(f"[dim]   {_escape(t['name'])}[/dim]", f"[dim]{money(t['amount'])}[/dim]")
        rest = d["types"][MAX_TYPES_SHOWN:]
        if rest:
            amount = sum((t["amount"] for t in rest), Decimal("0.00"))
            table.add_row(f"[dim]   {len(rest)} more types[/dim]", f"[dim]{money(amount)}[/dim]")
    table.add_row("Total deductions", money(doc["total_deductions"]))
    table.add_row("Compensations", money(doc["compensations"]))
    table.add_row("[bold]Net payout[/bold]", f"[bold]{money(doc['net_payout'])}[/bold]")
    return table


def _products(title: str, items: list[dict[str, Any]], key: str) -> Table:
    from rich.table import Table

    table = Table(title=title, show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("SKU", justify="right", no_wrap=True)
    table.add_column("Product", max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("Amount", justify="right", no_wrap=True)
    for p in items:
        table.add_row(str(p["sku"]), _escape(p["name"] or p["offer_id"] or "—"), money(p[key]))
    return table


def render_summary(output: Output, doc: dict[str, Any]) -> None:
    from rich.table import Table

    console = output.console
    console.print(
        f"[bold]Payout summary {doc['month']}[/bold]  {doc['from']} … {doc['to']}, "
        f"{doc['currency']}, {doc['lines']} accrual lines"
    )
    console.print(_figures(doc))
    bal = doc.get("balance")
    if bal:
        check = "[green]matches[/green]" if bal["accrued_matches_net"] else "[red]differs[/red]"
        console.print(
            f"Ozon's balance report: opening {money(bal['opening_balance'])}, accrued "
            f"{money(bal['accrued'])} ({check}), paid {money(bal['payments'])}, closing "
            f"{money(bal['closing_balance'])}"
        )
    console.print()
    grid = Table.grid(padding=(0, 3))
    grid.add_column()
    grid.add_column()
    grid.add_row(
        _products("Top products by revenue", doc["top_by_revenue"], "revenue"),
        _products("Top products by deductions", doc["top_by_deductions"], "deductions"),
    )
    console.print(grid)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
