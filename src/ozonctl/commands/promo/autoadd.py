"""``promo auto-add list | remove | undo``: the products Ozon will add to its promotions
by itself, and taking them off those lists (journaled; undo puts them back with the
action price and stock they had).

Ozon's auto-add lists (``/v2/actions/auto-add/products/*``) are per promotion and per
auto-add date (``auto_add_dates`` of ``/v1/actions``): on the date Ozon adds every
product on the list to the promotion. A product taken off the list is not added. To
keep a product off every future list, turn auto-adding off for it:
``ozonctl listing price set OFFER --auto-add off``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption
from ozonctl.cli.output import Column
from ozonctl.cli.schemas import PLACEMENT
from ozonctl.cli.write_schemas import PROMO_CHANGE
from ozonctl.commands.promo.common import local_day, pct
from ozonctl.commands.promo.select import OfferOpt, SkuOpt, read_tokens, split_values
from ozonctl.errors import PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.promos import Action
    from ozonctl.domain.promo_policy import Placement

app = typer.Typer(
    help="Ozon's auto-add lists: what it will add to its promotions, and taking products off them.",
    no_args_is_help=True,
)

PromotionOpt = Annotated[
    int | None,
    typer.Option("--promotion", metavar="ID", help="Only this promotion's auto-add lists."),
]

LIST_COLUMNS = (  # the offer id first: `promo auto-add list | promo auto-add remove --from-file -`
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("action_id", "Promotion", justify="right"),
    Column("title", "Title", max_width=28),
    Column("auto_add_date", "Adds on"),
    Column("name", "Name", max_width=30),
    Column("price", "Price", justify="right"),
    Column("action_price", "Action price", justify="right"),
    Column("min_price", "Min price", justify="right"),
    Column("discount_pct", "Discount", justify="right", fmt=lambda v: pct(v)),
)


def _actions(ctx: AppContext, promotion: int | None) -> list[Action]:
    actions = ctx.client().promos.list_actions()
    if promotion is not None and not any(a.id == promotion for a in actions):
        raise UsageError(f"no Ozon promotion {promotion}", hint="see `ozonctl promo list`")
    return actions


def listed(ctx: AppContext, promotion: int | None) -> tuple[list[Action], list[Placement]]:
    """Every product on the auto-add lists (of ``promotion`` when given)."""
    from ozonctl.domain.promo_policy import scan

    actions = _actions(ctx, promotion)
    return actions, scan(ctx.client(), actions, only=promotion, in_promotions=False)


def _named(
    ctx: AppContext, tokens: list[str], found: list[Placement]
) -> tuple[list[Placement], list[str]]:
    """The placements of the products ``tokens`` name (the product resolver, over the
    catalogue index and the lists' own products: no request for a product on a list), and
    the tokens of products on no list."""
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.catalog.resolve import resolve

    index = CatalogIndex.load(ctx.catalog_dir())
    index.add(CatalogEntry(p.product_id, p.offer_id, p.sku, p.name, False, None) for p in found)
    got = resolve(tokens, index, ctx.client())
    pids = {e.product_id for e in got.found}
    listed_pids = {p.product_id for p in found}
    missing = [
        t
        for t, e in zip(got.tokens, got.entries, strict=True)
        if e is None or e.product_id not in listed_pids
    ]
    return [p for p in found if p.product_id in pids], missing


def list_row(p: Placement) -> dict[str, Any]:
    return {
        "action_id": p.action_id,
        "title": p.title,
        "auto_add_date": p.auto_add_moment,
        "product_id": p.product_id,
        "offer_id": p.offer_id,
        "sku": p.sku or None,
        "name": p.name,
        "price": p.price,
        "action_price": p.action_price,
        "max_action_price": p.max_action_price,
        "min_price": p.min_price,
        "discount_pct": p.discount_pct,
        "stock": p.stock,
    }


@app.command("list")
def list_(promotion: PromotionOpt = None) -> None:
    """Every product on an auto-add list, with the day Ozon will add it.

    One row per product and auto-add date: the promotion, the day, the action price it
    would join at, its min price and the discount."""
    ctx = app_context()
    _, found = listed(ctx, promotion)
    ctx.output.rows(
        LIST_COLUMNS, (list_row(p) for p in found), empty="no auto-add lists", schema=PLACEMENT
    )


@app.command("candidates")
def candidates(
    promotion: Annotated[int, typer.Argument(metavar="ID", help="The promotion's id.")],
) -> None:
    """Products that may be put on a promotion's auto-add lists, per auto-add day, with
    the action price Ozon proposes."""
    from ozonctl.domain.promo_policy import on_auto_add

    ctx = app_context()
    client = ctx.client()
    (action,) = [a for a in _actions(ctx, promotion) if a.id == promotion]

    def rows() -> Iterator[dict[str, Any]]:
        for date in action.auto_add_dates:
            for q in client.promos.auto_add_candidates(action.id, date):
                yield list_row(on_auto_add(q, action, date, candidate=True))

    ctx.output.rows(
        LIST_COLUMNS, rows(), empty="no candidates (or no auto-add dates)", schema=PLACEMENT
    )


def remove(
    products: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PRODUCT]...", help="Offer ids, SKUs or product ids."),
    ] = None,
    skus: SkuOpt = None,
    offers: OfferOpt = None,
    from_file: FromFileOption = None,
    promotion: PromotionOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every product on every auto-add list.")
    ] = False,
) -> None:
    """Take products off Ozon's auto-add lists, so Ozon does not add them.

    By product (offer id, SKU or product id, or --from-file), by promotion
    (--promotion ID alone: all of its lists) or --all. Journaled: `promo auto-add undo
    REF` puts them back with the action price and stock they had. --dry-run prints the
    plan; asks first (--yes where it cannot ask)."""
    from ozonctl.commands.promo import changes

    ctx = app_context()
    tokens = [
        *split_values(products),
        *(f"sku:{s}" for s in split_values(skus)),
        *(f"offer:{o}" for o in split_values(offers)),
    ]
    if from_file:
        tokens += read_tokens(from_file)
    if all_ and (tokens or promotion is not None):
        raise UsageError("--all cannot be combined with products or --promotion")
    if not (all_ or tokens or promotion is not None):
        raise UsageError("which products? give products, --from-file, --promotion ID or --all")
    actions, found = listed(ctx, promotion)
    picked, missing = _named(ctx, tokens, found) if tokens else (found, [])
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        ctx.output.warn(f"on no auto-add list: {shown}")
    items = [changes.item(p, "autoadd-remove") for p in picked]
    if _only_shown(
        ctx,
        items,
        "would_remove",
        empty="nothing to take off",
        plan_line=f"would take {len(items)} products off auto-add lists with "
        f"{changes.requests(items)} request(s)",
        nothing_line="nothing to take off the auto-add lists",
    ):
        return
    ctx.confirm(f"Take {len(items)} products off Ozon's auto-add lists?")
    _run(ctx, "autoadd-remove", items, actions, verb="removed")


def _only_shown(
    ctx: AppContext,
    items: list[dict[str, Any]],
    status: str,
    *,
    empty: str,
    plan_line: str,
    nothing_line: str = "",
) -> bool:
    """A dry run, or nothing to send: print the rows of ``items`` (``status``) and say
    so; False when there is something to send."""
    from ozonctl.commands.promo import changes
    from ozonctl.commands.promo.common import show_plan

    if items and not ctx.dry_run:
        return False
    rows = [changes.row(it, None) | {"status": status, "reason": ""} for it in items]
    show_plan(ctx, rows, empty=empty, columns=changes.CHANGE_COLUMNS)
    line = f"dry run: {plan_line}; nothing was sent" if ctx.dry_run else nothing_line
    if line:
        ctx.output.info(line)
    return True


def _run(
    ctx: AppContext,
    kind: str,
    items: list[dict[str, Any]],
    actions: list[Action],
    *,
    verb: str,
    undoes: str = "",
) -> str:
    """Journal and send ``items``, print the result per product; the journal ref."""
    from ozonctl.commands.promo import changes
    from ozonctl.commands.promo.common import new_op

    by_id = {a.id: a for a in actions}
    writes = {
        "autoadd-remove": "actions.autoadd.delete",
        "autoadd-restore": "actions.autoadd.update",
    }
    with ctx.lock(f"promo auto-add {verb}"):
        if undoes:
            _not_undone(ctx, undoes)  # again under the lock: another undo may have run
        op = new_op(ctx, kind, writes=[writes[kind]], products=len(items), undoes=undoes)
        rows = changes.run(ctx, op, items, by_id)
    tally, bad = changes.counts(rows), changes.failed(rows)
    ctx.output.outcomes(
        changes.CHANGE_COLUMNS, rows, ref=op.ref, dry_run=False, key="status", schema=PROMO_CHANGE
    )
    ctx.output.info(
        f"{verb} {tally.get(verb, 0)} of {len(rows)}; journal {op.ref}"
        + (f"; undo: ozonctl promo auto-add undo {op.ref}" if kind == "autoadd-remove" else "")
    )
    if bad:
        raise PartialFailure(f"{bad} product(s) failed (see the Result and Reason columns)")
    return op.ref


def _not_undone(ctx: AppContext, ref: str) -> None:
    if ctx.journal("promo").get(ref).status == "undone":
        raise UsageError(
            f"{ref} was undone already",
            hint="see `ozonctl promo auto-add list` for what is on the lists now",
        )


def undo(
    ref: Annotated[str, typer.Argument(help="The journal ref of an auto-add remove, or last.")],
) -> None:
    """Put back on their auto-add lists the products a `promo auto-add remove` took off,
    with the action price and stock they had (lists whose date has passed are gone)."""
    from ozonctl.domain.promo_runs import read_op

    ctx = app_context()
    op = ctx.journal("promo").get(ref, kind="autoadd-remove")
    _not_undone(ctx, op.ref)
    state = read_op(op)
    actions = ctx.client().promos.list_actions()
    dates = {a.id: set(a.auto_add_dates) for a in actions}
    items, gone = [], []
    for k, it in enumerate(state.snapshot):
        outcome = state.outcomes.get(k)
        if outcome is None or outcome.status not in ("removed", "unknown"):
            continue
        if it.get("date") not in dates.get(int(it["action_id"]), set()):
            gone.append(it)
            continue
        items.append({**it, "change": "autoadd-restore"})
    for it in gone:
        ctx.output.warn(
            f"{it.get('offer_id') or it['id']}: the {local_day(it['date'])} auto-add list of "
            f"promotion {it['action_id']} is gone (its date has passed); not put back"
        )
    if _only_shown(
        ctx,
        items,
        "would_restore",
        empty="nothing to put back",
        plan_line=f"would put {len(items)} products back",
    ):
        return
    ctx.confirm(f"Put {len(items)} products back on Ozon's auto-add lists?")
    _run(ctx, "autoadd-restore", items, actions, verb="restored", undoes=op.ref)
    op.update(status="undone")


app.command("remove")(remove)
app.command("undo")(undo)
