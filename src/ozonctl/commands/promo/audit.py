"""``promo audit``: per product, every Ozon promotion it is in or on an auto-add list
of, its action price against its min price (and the seller's policy, with
``--policy``; with ``min_margin_pct`` in it, the margin at the action price, or why it
is unknown), and the freeze dates coming; ``--fail-if-any`` exits 6 when anything
breaks the policy (a cron or CI alert)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.cli.schemas import PLACEMENT
from ozonctl.commands._margin import CostFileOpt, run_costs
from ozonctl.commands.promo.common import day, pct
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.domain.promo_policy import Placement

AUDIT_COLUMNS = (
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=28),
    Column("action_id", "Promotion", justify="right"),
    Column("where", "Where"),
    Column("auto_add_date", "Adds on"),
    Column("action_price", "Action price", justify="right"),
    Column("min_price", "Min price", justify="right"),
    Column("discount_pct", "Discount", justify="right", fmt=lambda v: pct(v)),
    Column("margin", "Margin", justify="right"),
    Column("margin_pct", "Margin %", justify="right", fmt=lambda v: pct(v)),
    Column("freeze_date", "Freeze", fmt=lambda v: day(v)),
    Column("problem", "Problem", max_width=50),
)


def audit_row(
    p: Placement, problem: str, now: dt.datetime, within: dt.timedelta, unknown: str = ""
) -> dict[str, Any]:
    from ozonctl.domain.promo_policy import freezing

    m = p.margin
    return {
        "product_id": p.product_id,
        "offer_id": p.offer_id,
        "sku": p.sku or None,
        "name": p.name,
        "action_id": p.action_id,
        "title": p.title,
        "where": p.where,
        "auto_add_date": p.auto_add_moment,
        "price": p.price,
        "action_price": p.action_price,
        "min_price": p.min_price,
        "discount_pct": p.discount_pct,
        "margin": m.margin if m else None,
        "margin_pct": m.percent if m else None,
        "margin_scheme": m.scheme.upper() if m else None,
        "margin_note": unknown,
        "freeze_date": p.freeze_date,
        "frozen": p.frozen(now),
        "freezing_soon": freezing(p, now, within),
        "problem": problem,
    }


def audit(
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help="Judge by this policy file (as `promo guard`); without it: action prices "
            "below the min price.",
        ),
    ] = None,
    freezing_within: Annotated[
        str,
        typer.Option("--freezing-within", metavar="AGE", help="Warn of freeze dates this close."),
    ] = "3d",
    problems_only: Annotated[
        bool, typer.Option("--problems-only", help="Only the rows that break the policy.")
    ] = False,
    fail_if_any: Annotated[
        bool,
        typer.Option(
            "--fail-if-any",
            help=f"Exit {int(ExitCode.ATTENTION)} when anything breaks the policy (cron, CI).",
        ),
    ] = False,
    cost_file: CostFileOpt = None,
) -> None:
    """Every promotion each product is in or set to be auto-added to, checked.

    One row per product and promotion (or auto-add date): action price, min price,
    discount, the promotion's freeze date, and what breaks the policy. A warning names
    the promotions freezing within --freezing-within (3d). Exit 0 whatever is found;
    with --fail-if-any exit 6 when anything breaks the policy. With min_margin_pct in
    the policy: the margin at the action price (products with no known cost show why,
    and do not count as breaking it)."""
    from ozonctl.cli.period import span
    from ozonctl.domain.promo_policy import DEFAULT_POLICY, load_policy, scan

    ctx = app_context()
    within = span(freezing_within, "--freezing-within")
    if policy is None:
        rules = DEFAULT_POLICY
    else:
        rules = load_policy(policy, lambda: run_costs(ctx, cost_file))
    client = ctx.client()
    placements = scan(client, client.promos.list_actions())
    rules.prepare(client, placements)
    placements.sort(key=lambda p: (p.offer_id, p.product_id, p.action_id, p.auto_add_date))
    now = dt.datetime.now(dt.UTC)
    rows = [
        audit_row(p, "; ".join(rules.breaches(p)), now, within, rules.unjudged(p))
        for p in placements
    ]
    bad = [r for r in rows if r["problem"]]
    ctx.output.rows(
        AUDIT_COLUMNS,
        bad if problems_only else rows,
        empty="no product is in a promotion",
        schema=PLACEMENT,
    )
    soon = sorted(
        {(r["action_id"], r["title"], r["freeze_date"]) for r in rows if r["freezing_soon"]}
    )
    for action_id, title, when in soon:
        ctx.output.warn(f"«{title}» ({action_id}) freezes {when:%Y-%m-%d %H:%M} UTC")
    what = "the policy" if policy is not None else "the min price"
    unknown = sum(1 for r in rows if r["margin_note"])
    ctx.output.info(
        f"promo audit: {len(bad)} of {len(rows)} rows break {what}; {len(soon)} "
        f"promotions freeze within {freezing_within}"
        + (f"; {unknown} rows with no known margin (no cost)" if unknown else "")
    )
    if fail_if_any and bad:
        raise typer.Exit(ExitCode.ATTENTION)
