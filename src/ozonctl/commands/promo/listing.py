"""``promo list`` and ``promo show``: which promotions there are, which I am in, and the
rules of one as Ozon states them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.commands.promo.common import ActionId, cents, local_day
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.promos import Action, SellerAction

LIST_COLUMNS = (
    Column("id", "ID", justify="right"),
    Column("title", "Title", max_width=36),
    Column("type", "Type"),
    Column("date_start", "Start"),  # times: in the seller's zone, named in the header
    Column("date_end", "End"),
    Column("freeze_date", "Freeze"),
    Column("participating", "In", justify="right"),
    Column("potential", "Potential", justify="right"),
    Column("discount", "Discount", justify="right"),
    Column("owner", "Run by"),
)

# one string, split: scripts/gen_reference.py reads a constant "OZON_…" as an env var
ACTION_TYPES = tuple(
    """DISCOUNT STOCK_DISCOUNT ELASTIC_BOOSTING VOUCHER_DISCOUNT DISCOUNT_WITH_CONDITION
    INSTALLMENT INDIVIDUAL_DISCOUNT_BY_PRODUCTS OZON_ACCOUNT_DISCOUNT
    MULTI_LEVEL_DISCOUNT_ON_AMOUNT""".split()  # noqa: SIM905
)
"""The promotion types (``action_type``) Ozon's documents and answers name."""
TYPE_ALIASES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "boosting": lambda r: bool(r.get("is_boosting")),
    "boost": lambda r: bool(r.get("is_boosting")),
    "promo-code": lambda r: bool(r.get("is_voucher_action")),
    "voucher": lambda r: bool(r.get("is_voucher_action")),
    "own": lambda r: r["owner"] == "seller",
    "seller": lambda r: r["owner"] == "seller",
    "ozon": lambda r: r["owner"] == "ozon",
}


def discount_text(value: Any, kind: str) -> str:
    if value in (None, "") or not value:
        return ""
    kind = (kind or "").upper()
    if kind in ("PERCENT", "PERCENTAGE"):
        return f"{value}%"
    if kind in ("RUB", "CURRENCY", "FIXED", "FINAL_PRICE"):
        return f"{value} RUB" if kind != "FINAL_PRICE" else f"price {value} RUB"
    return str(value)


def action_row(a: Action) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "type": a.action_type,
        "owner": "ozon",
        "date_start": a.date_start,
        "date_end": a.date_end,
        "freeze_date": a.freeze_date,
        "participating": a.participating_products_count,
        "potential": a.potential_products_count,
        "discount": discount_text(a.discount_value, a.discount_type),
        "discount_type": a.discount_type,
        "discount_value": a.discount_value,
        "order_amount": cents(a.order_amount),
        "is_participating": a.is_participating,
        "is_voucher_action": a.is_voucher_action,
        "is_boosting": a.is_boosting,
        "leave_method": a.leave_method,
        "auto_add_dates": list(a.auto_add_dates),
        "auto_add_days": [local_day(d) for d in a.auto_add_dates],
        "banned_products_count": a.banned_products_count,
        "with_targeting": a.with_targeting,
        "description": a.description,
    }


def seller_row(s: SellerAction) -> dict[str, Any]:
    p = s.action_parameters
    return {
        "id": s.action_id,
        "title": s.title,
        "type": p.type,
        "owner": "seller",
        "date_start": p.date_start,
        "date_end": p.date_end,
        "freeze_date": None,
        "participating": s.sku_count,
        "potential": None,
        "discount": discount_text(p.discount_value, p.discount_type),
        "discount_type": p.discount_type,
        "discount_value": p.discount_value,
        "order_amount": cents(p.min_order_amount),
        "is_participating": s.is_participated or s.sku_count > 0,
        "is_voucher_action": p.type == "VOUCHER_DISCOUNT",
        "is_boosting": False,
        "status": p.status,
        "is_turn_on": s.is_turn_on,
    }


def _seller_rows(ctx: AppContext, ids: tuple[int, ...] = ()) -> Iterator[dict[str, Any]]:
    """The seller's own promotions; a failure of that (beta) method is a warning."""
    from ozonctl.client.errors import APIError

    try:
        for s in ctx.client().promos.seller_actions(ids):
            yield seller_row(s)
    except APIError as exc:
        ctx.output.warn(f"could not read your own promotions ({exc.message}); showing Ozon's")


def list_(
    joined: Annotated[
        bool, typer.Option("--joined", help="Only promotions with products of yours in them.")
    ] = False,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            metavar="T",
            help="Ozon's action_type (e.g. DISCOUNT, ELASTIC_BOOSTING) or one of: boosting, "
            "promo-code, ozon, own.",
            callback=one_of(*ACTION_TYPES, *TYPE_ALIASES),
        ),
    ] = None,
    freezing_within: Annotated[
        str | None,
        typer.Option(
            "--freezing-within",
            metavar="AGE",
            help="Only promotions whose freeze date comes within AGE (3d, 72h): after it "
            "Ozon lets no product leave.",
        ),
    ] = None,
) -> None:
    """Promotions: dates, freeze date, products, discount.

    One row per Ozon promotion and per promotion of your own: dates, freeze date, products
    in it and potential, discount, and who runs it. A terminal shows the times in your
    time zone, named in the header."""
    from ozonctl.cli.period import span

    ctx = app_context()
    within = span(freezing_within, "--freezing-within") if freezing_within else None
    client = ctx.client()
    want = type_.strip() if type_ else None
    now = dt.datetime.now(dt.UTC)

    def keep(row: dict[str, Any]) -> bool:
        if joined and not row["is_participating"]:
            return False
        if within is not None:
            when = row["freeze_date"]
            if when is None or not now <= when <= now + within:
                return False
        if want is None:
            return True
        alias = TYPE_ALIASES.get(want.lower())
        return alias(row) if alias else str(row["type"]).upper() == want.upper()

    def rows() -> Iterator[dict[str, Any]]:
        for a in client.promos.list_actions():
            row = action_row(a)
            if keep(row):
                yield row
        if within is None and (want is None or want.lower() not in ("ozon", "boosting", "boost")):
            yield from (r for r in _seller_rows(ctx) if keep(r))

    from ozonctl.cli.schemas import PROMOTION

    ctx.output.rows(LIST_COLUMNS, rows(), empty="no promotions match", schema=PROMOTION)


RULES = (
    ("date_start", "Starts"),
    ("date_end", "Ends"),
    ("freeze_date", "Freeze date"),
    ("auto_add_days", "Auto-add dates"),
    ("order_amount", "Order amount"),
    ("discount", "Discount"),
    ("participating", "Products in"),
    ("potential", "Potential"),
    ("banned_products_count", "Banned"),
    ("is_voucher_action", "Promo code"),
    ("with_targeting", "Targeted"),
    ("leave_method", "Leaving"),
    ("status", "Status"),
    ("is_turn_on", "Turned on"),
)


def show(action_id: ActionId) -> None:
    """One promotion and its rules.

    Dates, the freeze date after which leaving may not be allowed, order amount, discount,
    auto-add dates and how a product leaves it."""
    ctx = app_context()
    client = ctx.client()
    action = client.promos.get_action(action_id)
    if action is not None:
        data = action_row(action)
        data["rules"] = rules_text(action, ctx.output.zone)
    else:
        found = list(_seller_rows(ctx, (action_id,)))
        found = [r for r in found if r["id"] == action_id]
        if not found:
            raise UsageError(f"no promotion {action_id}", hint="see `ozonctl promo list`")
        data = found[0]
        data["rules"] = [
            "Your own promotion: turn it off with `ozonctl promo pause "
            f"{action_id}` and on with `ozonctl promo resume {action_id}`."
        ]

    def human() -> None:
        from ozonctl.cli.times import labelled

        out = ctx.output.stdout
        out.write(f"{data['title'] or '(untitled)'}  [{data['id']}, {data['type']}, ")
        out.write(f"run by {data['owner']}]\n")
        for key, label in RULES:
            if key not in data or data[key] in (None, "", []):
                continue
            if key == "order_amount" and not data[key]:
                continue
            value = data[key]
            if key in ("date_start", "date_end", "freeze_date"):
                value = labelled(value, ctx.output.zone)
            elif key == "order_amount":
                value = f"{value} RUB"
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            out.write(f"{label + ':':<15} {value}\n")
        if data.get("description"):
            out.write(f"\n{data['description']}\n")
        if data["rules"]:
            out.write("\n")
            for line in data["rules"]:
                out.write(f"- {line}\n")

    from ozonctl.cli.schemas import PROMOTION

    ctx.output.document(data, human=human, schema=PROMOTION)


def rules_text(a: Action, zone: dt.tzinfo) -> list[str]:
    """The promotion's rules in plain words, from what Ozon says about it; times in
    ``zone`` (the seller's), named."""
    from ozonctl.cli.times import labelled

    lines = []
    now = dt.datetime.now(dt.UTC)
    if a.freeze_date is not None:
        when = labelled(a.freeze_date, zone)
        if a.freeze_date <= now:
            lines.append(f"Frozen since {when}: Ozon may refuse to let products leave.")
        else:
            lines.append(f"From {when} (the freeze date) leaving may not be allowed.")
    if a.is_boosting:
        lines.append(
            "Boosting promotion: a product leaves when its action price is set above the "
            "largest allowed action price (`ozonctl promo leave` does that)."
        )
    elif a.is_voucher_action:
        lines.append("Buyers need a promo code; each product joins with a stock of units.")
    if a.order_amount:
        lines.append(f"Applies to orders from {cents(a.order_amount)} RUB.")
    if a.auto_add_dates:
        lines.append(
            "Ozon adds products by itself on the auto-add dates; products you leave may be "
            "added back unless you leave with --no-auto-add (see `ozonctl promo auto-add "
            f"list --promotion {a.id}`)."
        )
    return lines
