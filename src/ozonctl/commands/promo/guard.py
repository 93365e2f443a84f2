"""``promo guard``: the cron job that keeps the shop inside the seller's promotion
policy (a TOML file, :mod:`ozonctl.domain.promo_policy`).

Like ``listing delist-stale``: the state lock for the whole run (exit 5 at once when
another run holds it, or after ``--wait-lock``); refuses to change more than ``--max``
products or ``--max-percent`` of the products it saw in promotions and on auto-add lists;
a journal (kind ``guard``) with the plan before anything is sent and every batch
recorded; one summary line; exit 0, or 3 when some change failed.

With ``min_margin_pct`` in the policy, a product whose margin at its action price cannot
be counted (no known cost, no fees from Ozon) is neither left in silently nor taken out:
it is listed as ``no_cost`` and not touched.

Each breach is a change: a product in a promotion leaves it (deactivate, or in a
boosting promotion an action price over the limit), a product on an auto-add list is
taken off it. A promotion past its freeze date keeps its products (Ozon refuses): those
are reported as skipped, not sent.

A run that was killed is settled by the next one: it waits until the killed run's last
request is surely over at Ozon, marks it ``interrupted``, then reads the promotions
again, so what the killed run changed is not in the new plan and nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands._margin import CostFileOpt, run_costs

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.promos import Action

DEFAULT_MAX = 100
DEFAULT_MAX_PERCENT = 10.0

PolicyOpt = Annotated[
    Path,
    typer.Option(
        "--policy",
        metavar="FILE",
        help="The policy file (TOML): never_below_min_price, max_discount_pct, keep_out, "
        "min_margin_pct, scheme, [min_prices]. See docs/promotions.md.",
    ),
]


def guard(
    policy: PolicyOpt,
    max_count: Annotated[
        int, typer.Option("--max", min=0, help="Refuse to run if more products than this break it.")
    ] = DEFAULT_MAX,
    max_percent: Annotated[
        float,
        typer.Option(
            "--max-percent",
            min=0,
            max=100,
            help="Refuse if more than this percent of the products in promotions and on "
            "auto-add lists break it.",
        ),
    ] = DEFAULT_MAX_PERCENT,
    cost_file: CostFileOpt = None,
) -> None:
    """Apply your promotion policy: the cron job. Safe to run every hour.

    Products that break the policy leave their promotions and come off Ozon's auto-add
    lists. One run at a time (exit 5 if another holds the lock); refuses more than --max
    N or --max-percent P; journaled, and a rerun after a crash changes nothing twice.
    --dry-run prints the plan. With min_margin_pct, products with no known cost are
    listed as no_cost and not touched. Ends with one line: matched, left, off auto-add,
    failed, skipped, no cost; exit 0, or 3 when some failed."""
    from ozonctl.commands._cron import check_limit, locked_run
    from ozonctl.commands.promo import changes
    from ozonctl.domain.promo_policy import breaches, load_policy, scan

    ctx = app_context()
    rules = load_policy(policy, lambda: run_costs(ctx, cost_file))
    with locked_run(ctx, "promo guard", lambda _: _settle(ctx)) as client:
        actions = client.promos.list_actions()
        placements = scan(client, actions)
        rules.prepare(client, placements)
        found = list(breaches(placements, rules))
        seen = len({p.product_id for p in placements})
        matched = len({p.product_id for p, _ in found})
        check_limit(
            matched,
            seen,
            max_count,
            max_percent,
            what="break the policy",
            among="in promotions",
            nothing="nothing was changed",
            hint="check them with `ozonctl promo audit --policy FILE`, then raise "
            "--max/--max-percent",
        )
        now = dt.datetime.now(dt.UTC)
        by_id = {a.id: a for a in actions}
        items: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []
        for p, why in found:
            change = "leave" if p.where == "in" else "autoadd-remove"
            it = changes.item(p, change, why)
            frozen = changes.frozen_reason(by_id[p.action_id], now) if change == "leave" else ""
            if frozen:
                skipped.append(changes.row(it, None) | {"status": "skipped", "reason": frozen})
            else:
                items.append(it)
        broken = {id(p) for p, _ in found}
        for p in placements:
            why = "" if id(p) in broken else rules.unjudged(p)
            if why:
                it = changes.item(p, "leave" if p.where == "in" else "autoadd-remove")
                skipped.append(changes.row(it, None) | {"status": "no_cost", "reason": why})
        if ctx.dry_run:
            rows = [changes.row(it, None) | {"status": "planned", "reason": ""} for it in items]
            _report(ctx, [*rows, *skipped], matched, None)
            return
        if items:
            ctx.confirm(f"Change {len(items)} products that break the policy?")
        rows, ref = _apply(ctx, items, by_id, matched, rules.source) if items else ([], None)
    _report(ctx, [*rows, *skipped], matched, ref)


def _settle(ctx: AppContext) -> None:
    """Wait out a killed guard run's last request and close it (the caller holds the
    lock, so no live run owns it)."""
    from ozonctl.domain.promo_runs import ordered, wait_out

    running = [
        o
        for o in ordered(ctx.journal("promo"))
        if o.header.get("kind") == "guard" and o.status == "running"
    ]
    if not running:
        return
    wait_out(running, timeout=ctx.profile.timeout, say=ctx.output.info)
    for op in running:
        op.update(status="interrupted", unknown=0)
        ctx.output.info(
            f"guard run {op.ref} was interrupted; the promotions are read again, so what it "
            "changed is not sent twice"
        )


def _apply(
    ctx: AppContext,
    items: list[dict[str, Any]],
    actions: dict[int, Action],
    matched: int,
    source: str,
) -> tuple[list[dict[str, Any]], str]:
    from ozonctl.commands.promo import changes
    from ozonctl.commands.promo.common import new_op

    writes = {
        "leave": "actions.products.deactivate",
        "autoadd-remove": "actions.autoadd.delete",
    }
    needed = {writes[it["change"]] for it in items}
    if any(actions[int(it["action_id"])].leave_method == "update" for it in items):
        needed.add("actions.products.update")
    op = new_op(ctx, "guard", writes=sorted(needed), policy=source, matched=matched)
    return changes.run(ctx, op, items, actions), op.ref


def summary(rows: list[dict[str, Any]], matched: int) -> dict[str, int]:
    from ozonctl.commands.promo.changes import counts, failed

    tally = counts(rows)
    return {
        "matched": matched,
        "left": tally.get("left", 0),
        "off_auto_add": tally.get("removed", 0),
        "failed": failed(rows),
        "skipped": tally.get("skipped", 0),
        "no_cost": tally.get("no_cost", 0),
        "planned": tally.get("planned", 0),
    }


def _report(ctx: AppContext, rows: list[dict[str, Any]], matched: int, ref: str | None) -> None:
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import PROMO_CHANGE
    from ozonctl.commands._cron import finish
    from ozonctl.commands.promo.changes import CHANGE_COLUMNS

    counts = summary(rows, matched)
    if not ctx.dry_run:
        counts.pop("planned")
    finish(
        ctx,
        "promo guard",
        [*CHANGE_COLUMNS, Column("why", "Breaks", max_width=50)],
        rows,
        counts,
        ref,
        empty="nothing breaks the policy",
        failed="{n} changes failed; listed above",
        labels={"off_auto_add": "off auto-add"},
        schema=PROMO_CHANGE,
    )
