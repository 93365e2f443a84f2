"""``promo create``, ``promo update``, ``promo archive`` and ``promo codes``: the seller's
own promotions (``/v1/seller-actions/create/*``, ``update/*``, ``archive``,
``voucher/get``).

Each mechanic takes its own options (Ozon's document names the fields of each method);
an option the mechanic does not take, or a value Ozon's rules refuse, is a usage error
before anything is sent. Every write is journalled (``promo history``), never sent twice
(a create whose answer was lost is not repeated: the seller is told how to look), and
read back: what is printed is the promotion as Ozon lists it after the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.commas import commas
from ozonctl.cli.context import app_context
from ozonctl.commands.promo.seller import IdArg
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import SellerAction, SellerActionSpec

T = TypeVar("T")

KINDS = ("discount", "conditional", "multilevel", "voucher", "installment")
MAX_USERS = 50
"""Ozon's document: a voucher is for at most 50 users."""

# Which options each mechanic takes (beyond --title and --start).
TAKES = {
    "discount": {"end", "min_discount"},
    "conditional": {"end", "discount", "discount_type", "min_order"},
    "multilevel": {"end", "discount_type", "levels", "legal"},
    "voucher": {
        "end",
        "discount",
        "discount_type",
        "budget",
        "codes",
        "code_type",
        "private",
        "users",
    },
    "installment": set(),
}
UPDATABLE = {
    "discount": {"end"},
    "conditional": {"end", "discount", "min_order"},
    "multilevel": {"end", "levels", "legal"},
    "voucher": {"end", "discount", "budget", "users"},
    "installment": set(),
}
"""What an update may change besides --title and --start (Ozon's update methods)."""
NEEDS = {
    "discount": ("title", "start", "end", "min_discount"),
    "conditional": ("title", "start", "end", "discount", "min_order"),
    "multilevel": ("title", "start", "end", "levels"),
    "voucher": ("title", "start", "end", "discount", "budget"),
    "installment": ("title", "start"),
}
"""What a create of each mechanic must be given (the fields its method requires)."""
NEEDED = {
    "title": "--title NAME",
    "start": "--start WHEN",
    "end": "--end WHEN",
    "min_discount": "--min-discount PCT",
    "discount": "--discount N",
    "min_order": "--min-order RUB",
    "levels": "--level AMOUNT:N (2 to 4 of them)",
    "budget": "--budget RUB",
}
OPTION = {
    "end": "--end",
    "min_discount": "--min-discount",
    "discount": "--discount",
    "discount_type": "--discount-type",
    "min_order": "--min-order",
    "levels": "--level",
    "legal": "--legal-entities",
    "budget": "--budget",
    "codes": "--codes",
    "code_type": "--code-type",
    "private": "--private",
    "users": "--user",
}

Title = Annotated[str | None, typer.Option("--title", help="The promotion's name (1-256 chars).")]
Start = Annotated[
    str | None,
    typer.Option("--start", metavar="WHEN", help="Start: YYYY-MM-DD (your zone) or ISO time."),
]
End = Annotated[
    str | None,
    typer.Option("--end", metavar="WHEN", help="End (not for installment: Ozon's is 6 months)."),
]
Discount = Annotated[
    str | None,
    typer.Option(
        "--discount",
        metavar="N",
        help="Discount: percent, or roubles with --discount-type currency.",
    ),
]
MinOrder = Annotated[
    str | None,
    typer.Option(
        "--min-order", metavar="RUB", help="Order amount the discount starts at (conditional)."
    ),
]
Levels = Annotated[
    list[str] | None,
    typer.Option(
        "--level",
        metavar="AMOUNT:N",
        help="A level of a multi-level discount (2 to 4).",
        **commas(),
    ),
]
Legal = Annotated[
    bool | None,
    typer.Option("--legal-entities/--everyone", help="Multi-level: only for legal entities."),
]
Budget = Annotated[
    int | None,
    typer.Option(
        "--budget", metavar="RUB", min=1, help="Voucher budget; the promotion stops when spent."
    ),
]
Users = Annotated[
    list[str] | None,
    typer.Option(
        "--user", metavar="ID", help="A buyer the voucher is for (repeat, at most 50).", **commas()
    ),
]


def create(
    kind: Annotated[
        str,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="discount, conditional, multilevel, voucher or installment.",
            callback=one_of(*KINDS),
        ),
    ],
    title: Title = None,
    start: Start = None,
    end: End = None,
    min_discount: Annotated[
        str | None,
        typer.Option(
            "--min-discount", metavar="PCT", help="Smallest percent a product joins at (discount)."
        ),
    ] = None,
    discount: Discount = None,
    discount_type: Annotated[
        str | None,
        typer.Option(
            "--discount-type",
            metavar="T",
            help="percent (default) or currency.",
            callback=one_of("percent", "currency"),
        ),
    ] = None,
    min_order: MinOrder = None,
    levels: Levels = None,
    legal: Legal = None,
    budget: Budget = None,
    codes: Annotated[
        int | None,
        typer.Option("--codes", metavar="N", min=1, help="How many codes (unique codes; else 1)."),
    ] = None,
    code_type: Annotated[
        str | None,
        typer.Option(
            "--code-type",
            metavar="T",
            help="one (one order), multiple (default) or unique (one buyer).",
            callback=one_of("one", "multiple", "unique"),
        ),
    ] = None,
    private: Annotated[
        bool | None, typer.Option("--private", help="A private code (is_private).")
    ] = None,
    users: Users = None,
) -> None:
    """Create a promotion of your own; prints its id.

    --type discount (--min-discount), conditional (--discount, --min-order), multilevel
    (--level AMOUNT:N twice to four times; Ozon adds the products), voucher (--discount,
    --budget, --code-type, --codes: the promo codes buyers enter), installment (6 months
    interest-free, from --start)."""
    given = _given(locals())
    ctx = app_context()
    _only(given, TAKES[kind], f"--type {kind}")
    for name in NEEDS[kind]:
        if name not in given:
            raise UsageError(f"--type {kind} needs {NEEDED[name]}")
    spec = _spec(ctx, None, given)
    title = spec.title or ""
    if kind == "voucher":
        spec = _voucher(spec, codes, code_type or "multiple", bool(private))
    client = ctx.client()
    if ctx.dry_run:
        ctx.output.info(f"dry run: would create a {kind} promotion «{title}»; nothing was sent")
        ctx.output.document({"type": kind, **spec.body(), "id": None})
        return
    ctx.confirm(f"Create the {kind} promotion «{title}»?")
    with ctx.lock("promo create"):
        op = _op(ctx, "create", kind, title, action_id=0)
        new_id = _sent(
            op,
            f"look for «{title}» with `ozonctl promo list --type own` before creating it again",
            lambda: client.promos.create_seller_action(kind, spec),
        )
        op.update(status="done", action_id=new_id)
    ctx.output.success(f"created «{title}» ({new_id})")
    _show(ctx, client, new_id)


def update(
    action_id: IdArg,
    title: Title = None,
    start: Start = None,
    end: End = None,
    discount: Discount = None,
    min_order: MinOrder = None,
    levels: Levels = None,
    legal: Legal = None,
    budget: Budget = None,
    users: Users = None,
) -> None:
    """Change one of your promotions: only what is given changes.

    Which options a promotion takes depends on its type (see `promo create`). Ozon takes
    a voucher's new --budget only while the promotion is off (`promo pause` first)."""
    given = _given(locals())
    ctx = app_context()
    client = ctx.client()
    found = _find(client, action_id)
    kind = _kind(found)
    _only(given, UPDATABLE[kind], f"a {kind} promotion")
    if not given.keys() - {"action_id"}:
        raise UsageError("nothing to change: give --title, --start, --end or an option of its type")
    p = found.action_parameters
    if budget is not None and p.budget is not None and budget != p.budget and found.is_turn_on:
        raise UsageError(
            "Ozon changes a voucher's budget only while it is off",
            hint=f"`ozonctl promo pause {action_id}` first, then `promo resume {action_id}`",
        )
    spec = _spec(ctx, found, given)
    if ctx.dry_run:
        ctx.output.info(f"dry run: would update «{found.title}» ({action_id}); nothing was sent")
        ctx.output.document({"id": action_id, "type": kind, **spec.body()})
        return
    ctx.confirm(f"Change «{found.title}» ({action_id})?")
    with ctx.lock(f"promo update {action_id}"):
        op = _op(ctx, "update", kind, found.title, action_id=action_id, before=_params(found))
        _sent(
            op,
            f"check it with `ozonctl promo show {action_id}`",
            lambda: client.promos.update_seller_action(kind, action_id, spec),
        )
        op.update(status="done")
    ctx.output.success(f"updated «{spec.title}» ({action_id})")
    _show(ctx, client, action_id)


def archive(action_id: IdArg) -> None:
    """Move one of your promotions to the archive (turn it off first: `promo pause`)."""
    ctx = app_context()
    client = ctx.client()
    found = _find(client, action_id)
    if found.is_turn_on and found.action_parameters.status == "ACTIVE":
        raise UsageError(
            f"«{found.title}» ({action_id}) is running",
            hint=f"turn it off first: `ozonctl promo pause {action_id}`",
        )
    if ctx.dry_run:
        ctx.output.info(f"dry run: would archive «{found.title}» ({action_id}); nothing was sent")
        return
    ctx.confirm(f"Archive «{found.title}» ({action_id})? It cannot be turned on again.")
    with ctx.lock(f"promo archive {action_id}"):
        op = _op(
            ctx, "archive", _kind(found), found.title, action_id=action_id, before=_params(found)
        )
        _sent(
            op,
            "check with `ozonctl promo list --type own`",
            lambda: client.promos.archive_seller_action(action_id),
        )
        still = any(s.action_id == action_id for s in client.promos.seller_actions([action_id]))
        op.update(status="failed" if still else "done")
    if still:
        raise OzonctlError(f"Ozon answered, but «{found.title}» ({action_id}) is still listed")
    ctx.output.success(f"archived «{found.title}» ({action_id}): no longer listed")
    ctx.output.document(
        {"id": action_id, "title": found.title, "archived": True},
        human=lambda: _line(ctx, f"{action_id}\tarchived"),
    )


def codes(action_id: IdArg) -> None:
    """The link to the CSV file of a voucher promotion's codes."""
    ctx = app_context()
    client = ctx.client()
    found = _find(client, action_id)
    if _kind(found) != "voucher":
        raise UsageError(f"«{found.title}» ({action_id}) is not a voucher promotion")
    link = client.promos.voucher_codes_file(action_id)
    ctx.output.document({"id": action_id, "file": link}, human=lambda: _line(ctx, link))


# --- helpers -----------------------------------------------------------------------------------


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, []) and k not in ("ctx", "kind")}


def _only(given: dict[str, Any], allowed: set[str], what: str) -> None:
    extra = [OPTION[k] for k in given if k in OPTION and k not in allowed]
    if extra:
        raise UsageError(
            f"{', '.join(extra)} {'does' if len(extra) == 1 else 'do'} not apply to {what}"
        )


def _find(client: OzonClient, action_id: int) -> SellerAction:
    found = next(
        (s for s in client.promos.seller_actions([action_id]) if s.action_id == action_id), None
    )
    if found is None:
        raise UsageError(
            f"no promotion {action_id} of yours", hint="see `ozonctl promo list --type own`"
        )
    return found


def _kind(found: SellerAction) -> str:
    from ozonctl.client.models.promos import SELLER_ACTION_TYPES

    kind = {v: k for k, v in SELLER_ACTION_TYPES.items()}.get(found.action_parameters.type)
    if kind is None:
        raise UsageError(f"ozonctl cannot change a {found.action_parameters.type} promotion")
    return kind


def _when(ctx: AppContext, text: str, option: str) -> dt.datetime:
    """YYYY-MM-DD (midnight in the seller's zone) or an ISO date-time (UTC if no zone)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=ctx.time_zone()).astimezone(
                dt.UTC
            )
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date", hint="use YYYY-MM-DD or an ISO date-time"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _number(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise UsageError(f"{option} {text!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise UsageError(f"{option} must be greater than 0")
    return value


def _percent(value: Decimal, option: str, kind: str) -> Decimal:
    if kind == "PERCENT" and value >= 100:
        raise UsageError(f"{option} is a percent: below 100")
    return value


def _spec(ctx: AppContext, found: SellerAction | None, given: dict[str, Any]) -> SellerActionSpec:
    """The promotion's settings: those listed now (an update sends them all again), with
    what was given in their place."""
    from ozonctl.client.models.promos import DiscountLevelOut, SellerActionSpec

    p = found.action_parameters if found else None
    kind = (given.get("discount_type") or (p.discount_type if p else "") or "percent").upper()
    kind = "PERCENT" if kind not in ("PERCENT", "CURRENCY") else kind
    spec: dict[str, Any] = {"title": given.get("title", found.title if found else None)}
    if p is not None:
        spec.update(
            date_start=p.date_start,
            date_end=p.date_end,
            discount_value=p.discount_value,
            min_order_amount=p.min_order_amount,
            budget=int(p.budget) if p.budget is not None else None,
            is_legal_entities_segment=p.is_legal_entities_segment,
            discount_levels=[
                {"order_amount": lv.order_amount, "discount_value": lv.discount_value}
                for lv in p.discount_levels
            ],
        )
    else:
        spec["discount_type"] = kind
    if "start" in given:
        spec["date_start"] = _when(ctx, given["start"], "--start")
    if "end" in given:
        spec["date_end"] = _when(ctx, given["end"], "--end")
    if spec.get("date_start") and spec.get("date_end") and spec["date_end"] <= spec["date_start"]:
        raise UsageError("--end must be after --start")
    if "min_discount" in given:
        spec["min_action_percent"] = _percent(
            _number(given["min_discount"], "--min-discount"), "--min-discount", "PERCENT"
        )
    if "discount" in given:
        spec["discount_value"] = _percent(
            _number(given["discount"], "--discount"), "--discount", kind
        )
    if "min_order" in given:
        spec["min_order_amount"] = _number(given["min_order"], "--min-order")
    if "levels" in given:
        spec["discount_levels"] = _levels(given["levels"], kind)
    if "legal" in given:
        spec["is_legal_entities_segment"] = given["legal"]
    if "budget" in given:
        spec["budget"] = given["budget"]
    if "users" in given:
        spec["user_ids"] = _users(given["users"])
    title = spec["title"]
    if title is not None and not 1 <= len(title.strip()) <= 256:
        raise UsageError("--title: 1 to 256 characters")
    spec["discount_levels"] = [
        DiscountLevelOut(**lv) for lv in spec.get("discount_levels") or []
    ] or None
    return SellerActionSpec.model_validate(spec)


def _levels(texts: list[str], kind: str) -> list[dict[str, Decimal]]:
    levels = []
    for text in texts:
        amount, sep, value = text.partition(":")
        if not sep:
            raise UsageError(f"--level {text!r}: give AMOUNT:DISCOUNT, e.g. 3000:5")
        levels.append(
            {
                "order_amount": _number(amount, "--level"),
                "discount_value": _percent(_number(value, "--level"), "--level", kind),
            }
        )
    if not 2 <= len(levels) <= 4:
        raise UsageError("a multi-level discount has 2 to 4 levels: give --level two to four times")
    amounts = [lv["order_amount"] for lv in levels]
    if amounts != sorted(set(amounts)):
        raise UsageError("--level: each level's order amount must be above the one before")
    return levels


def _users(values: list[str]) -> list[int]:
    ids = []
    for v in values:
        for part in v.split(","):
            if not part.strip().isdigit():
                raise UsageError(f"--user {part!r} is not a buyer id (digits)")
            ids.append(int(part))
    if len(ids) > MAX_USERS:
        raise UsageError(
            f"a voucher is for at most {MAX_USERS} users (Ozon's limit); {len(ids)} given"
        )
    return ids


def _voucher(
    spec: SellerActionSpec, count: int | None, code_type: str, private: bool
) -> SellerActionSpec:
    from ozonctl.client.models.promos import VoucherParametersOut

    if code_type != "unique" and count not in (None, 1):
        raise UsageError(
            "--codes applies to --code-type unique (one and multiple are one code for everyone)"
        )
    params = VoucherParametersOut(
        count_codes=count or 1, is_private=private, type=code_type.upper()
    )
    return spec.model_copy(update={"voucher_parameters": params})


def _params(found: SellerAction) -> dict[str, Any]:
    """The settings before a change, for the journal."""
    return found.action_parameters.model_dump(mode="json", exclude_none=True)


def _op(ctx: AppContext, verb: str, kind: str, title: str, **meta: Any) -> Any:
    from ozonctl.commands.promo.common import new_op

    return new_op(
        ctx,
        verb,
        None,
        writes=[f"seller_actions.{verb}.{kind}" if verb != "archive" else "seller_actions.archive"],
        title=title,
        owner="seller",
        mechanic=kind,
        **meta,
    )


def _sent(op: Any, how: str, call: Callable[[], T]) -> T:
    """``call()`` (one write); a failed or unknown one is journalled and reported with
    what to do (``how``), never sent again."""
    from ozonctl.client.errors import APIError, WriteOutcomeUnknown

    try:
        return call()
    except APIError as exc:
        if not isinstance(exc, WriteOutcomeUnknown):
            op.update(status="failed", error=exc.message)
            raise
        op.update(status="unknown")
        raise OzonctlError(f"{exc.message} — ozonctl did not send it again", hint=how) from exc


def _show(ctx: AppContext, client: OzonClient, action_id: int) -> None:
    """The promotion as Ozon lists it now (the write read back)."""
    from ozonctl.commands.promo.listing import seller_row

    found = _find(client, action_id)
    row = seller_row(found)
    ctx.output.document(
        row,
        human=lambda: _line(ctx, f"{action_id}\t{row['status']}\t{row['title']}"),
    )


def _line(ctx: AppContext, text: str) -> None:
    """One result line on stdout (a terminal or a pipe)."""
    ctx.output.stdout.write(text + "\n")
