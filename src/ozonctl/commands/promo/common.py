"""What the promo commands share: finding a promotion, product rows (a v2 promo product
joined with its card), the price a product joins at, the "loses money" filters, number
formatting, and the CLI side of a journaled run (``new_op`` judges the key's roles and
opens the operation, ``report`` shows its result); the run itself is
:mod:`ozonctl.domain.promo_runs`.

Imports only the standard library at module level; models come in under TYPE_CHECKING.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import typer

from ozonctl.cli.output import Column
from ozonctl.cli.write_schemas import PROMO_CHANGE
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import ProductInfo
    from ozonctl.client.models.promos import Action, ActionProduct
    from ozonctl.domain.promo_runs import SnapshotText
    from ozonctl.state.journal import Operation

T = TypeVar("T")

ActionId = Annotated[int, typer.Argument(metavar="ID", help="The promotion's id.")]
ActionPriceOpt = Annotated[
    str | None,
    typer.Option("--action-price", metavar="P", help="The action price for every product."),
]
DiscountOpt = Annotated[
    float | None,
    typer.Option("--discount", metavar="PCT", help="Action price PCT % below each regular price."),
]

INFO_CHUNK = 1000
"""Products enriched per ``/v3/product/info/list`` call."""
CENT = Decimal("0.01")
NOT_CANDIDATE = "caught before sending: not a candidate of this promotion"


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def day(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def local_day(moment: str) -> str:
    """An Ozon date-time (``2026-11-30T21:00:00Z``) as the day it is in the seller's time
    zone (the machine's, ``TZ``): ``2026-12-01`` in Moscow. A text that is not a date-time
    is shown as it came."""
    from ozonctl.client.models.convert import to_moment

    try:
        when = to_moment(moment)
    except ValueError:
        return moment
    return when.astimezone().strftime("%Y-%m-%d") if isinstance(when, dt.datetime) else moment


def discount_pct(price: Decimal | None, action_price: Decimal | None) -> Decimal | None:
    """How far below the regular price the action price is, in percent (one decimal)."""
    if not price or action_price is None or price <= 0:
        return None
    return ((price - action_price) * 100 / price).quantize(Decimal("0.1"), ROUND_HALF_UP)


def find_action(client: OzonClient, action_id: int) -> Action:
    """The Ozon promotion ``action_id`` or a usage error naming what to do."""
    action = client.promos.get_action(action_id)
    if action is None:
        raise UsageError(
            f"no Ozon promotion {action_id}",
            hint="see `ozonctl promo list` (your own promotions are paused and resumed "
            "with `ozonctl promo pause|resume`)",
        )
    return action


# --- product rows ---------------------------------------------------------------------------

PRODUCT_COLUMNS = (
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=40),
    Column("price", "Price", justify="right"),
    Column("action_price", "Action price", justify="right"),
    Column("max_action_price", "Max allowed", justify="right"),
    Column("discount_pct", "Discount", justify="right", fmt=lambda v: pct(v)),
    Column("stock", "Stock", justify="right"),
    Column("margin", "Margin", justify="right"),
    Column("margin_pct", "Margin %", justify="right", fmt=lambda v: pct(v)),
)


def available(card: ProductInfo) -> int:
    """Units on hand and not reserved, over every warehouse and scheme."""
    return sum(max(0, s.present - s.reserved) for s in card.stocks.stocks)


def product_row(p: ActionProduct, card: ProductInfo | None) -> dict[str, Any]:
    """One product of a promotion as the commands print it (a candidate's row is then
    :func:`priced` at the price it would join at)."""
    from ozonctl.client.models.promos import money

    price = money(p.price) or (card.price if card else None)
    min_price = card.min_price if card is not None and card.min_price else None
    if min_price is None and p.min_seller_price is not None and p.min_seller_price.amount:
        min_price = p.min_seller_price.amount
    row = {
        "product_id": p.id,
        "offer_id": card.offer_id if card else "",
        "sku": card.sku if card and card.sku else None,
        "name": card.name if card else "",
        "price": cents(price),
        "action_price": None,
        "max_action_price": cents(money(p.max_action_price)),
        "discount_pct": None,
        "stock": available(card) if card else None,
        "action_stock": p.stock,
        "min_price": cents(min_price),
        "below_min_price": False,
        "add_mode": p.add_mode,
        "is_quarantined": p.is_quarantined,
    }
    return priced(row, money(p.action_price))


def priced(row: dict[str, Any], action_price: Decimal | None) -> dict[str, Any]:
    """``row`` at ``action_price``: the discount from the regular price and whether it is
    below the min price follow from it."""
    action_price = cents(action_price)
    min_price = row["min_price"]
    row["action_price"] = action_price
    row["discount_pct"] = discount_pct(row["price"], action_price)
    row["below_min_price"] = bool(
        min_price is not None and action_price is not None and action_price < min_price
    )
    return row


def cents(value: Decimal | None) -> Decimal | None:
    """Money to the kopeck (``1500`` → ``1500.00``): every amount prints with two
    decimals."""
    return None if value is None else value.quantize(CENT, ROUND_HALF_UP)


# --- the price a product joins at ----------------------------------------------------------


@dataclass(frozen=True)
class Pricing:
    """``--action-price`` / ``--discount`` (at most one) and ``--stock`` of join and
    candidates."""

    action_price: Decimal | None = None
    discount: Decimal | None = None
    stock: int | None = None


def pricing(action_price: str | None, discount: float | None, stock: int | None = None) -> Pricing:
    """The pricing options, checked (a usage error names the option)."""
    if action_price is not None and discount is not None:
        raise UsageError("give --action-price or --discount, not both")
    if discount is not None and not 0 < discount < 100:
        raise UsageError("--discount must be a percentage between 0 and 100")
    return Pricing(
        parse_money(action_price, "--action-price") if action_price is not None else None,
        Decimal(str(discount)) if discount is not None else None,
        stock,
    )


def join_price(row: dict[str, Any], pricing: Pricing, *, is_in: bool) -> tuple[Decimal | None, str]:
    """The action price ``promo join`` sends for a product row: ``--action-price``, or
    ``--discount`` off the regular price, or else the largest allowed price (a product
    already in the promotion keeps its action price). Ozon's ``action_price`` of a
    candidate is not used: it may be 0 for a product not in the promotion yet. None and
    the reason when there is no price to send."""
    if pricing.action_price is not None:
        return pricing.action_price, ""
    regular: Decimal | None = row["price"]
    if pricing.discount is not None:
        if not regular:
            return None, "no regular price to take the discount from"
        return cents(regular * (100 - pricing.discount) / 100), ""
    new = (row["action_price"] if is_in else None) or row["max_action_price"]
    if not new:
        return None, "Ozon gives no largest allowed action price; give --action-price or --discount"
    return cents(new), ""


def with_cards(
    client: OzonClient,
    products: Iterable[ActionProduct],
    *,
    ahead: int = 2,
    chunk: int = INFO_CHUNK,
) -> Iterator[tuple[ActionProduct, ProductInfo | None]]:
    """Each product with its card, streaming: cards are fetched ``chunk`` (1000) a call,
    up to ``ahead`` calls in flight while the next pages are read (bounded memory)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    def fetch(chunk: list[ActionProduct]) -> dict[int, ProductInfo]:
        return {c.id: c for c in client.products.info(product_ids=[p.id for p in chunk])}

    pending: deque[tuple[list[ActionProduct], Future[dict[int, ProductInfo]]]] = deque()
    with ThreadPoolExecutor(max_workers=max(ahead, 1), thread_name_prefix="ozonctl-cards") as pool:
        for part in batched(products, chunk):
            pending.append((part, pool.submit(fetch, part)))
            while len(pending) > ahead:
                yield from _joined(*pending.popleft())
        while pending:
            yield from _joined(*pending.popleft())


def _joined(
    chunk: list[ActionProduct], cards: Future[dict[int, ProductInfo]]
) -> Iterator[tuple[ActionProduct, ProductInfo | None]]:
    found = cards.result()
    for p in chunk:
        yield p, found.get(p.id)


@dataclass(frozen=True)
class LossFilter:
    """``--discount-over PCT``, ``--below-min-price`` and ``--margin-below PCT``: the
    products that lose money. The margin test needs rows with margins
    (``commands._margin.with_margins``); a row without a known margin never passes it."""

    discount_over: Decimal | None = None
    below_min_price: bool = False
    margin_below: Decimal | None = None
    scheme: str | None = None
    """The scheme margins are counted in (None: the lower of FBS and FBO)."""

    @property
    def active(self) -> bool:
        return self.discount_over is not None or self.below_min_price or self.by_margin

    @property
    def by_margin(self) -> bool:
        return self.margin_below is not None

    def keep(self, row: dict[str, Any]) -> bool:
        if self.discount_over is not None:
            d = row.get("discount_pct")
            if d is None or d <= self.discount_over:
                return False
        if self.margin_below is not None:
            from ozonctl.commands._margin import below

            if not below(row, self.margin_below):
                return False
        return not (self.below_min_price and not row.get("below_min_price"))

    def describe(self) -> str:
        parts = []
        if self.discount_over is not None:
            parts.append(f"discount over {self.discount_over}%")
        if self.below_min_price:
            parts.append("action price below min price")
        if self.margin_below is not None:
            parts.append(f"margin below {self.margin_below}%")
        return " and ".join(parts)


def loss_filter(
    discount_over: float | None,
    below_min_price: bool,
    margin_below: float | None = None,
    scheme: str | None = None,
) -> LossFilter:
    from ozonctl.commands._margin import percent

    if discount_over is not None and not 0 <= discount_over < 100:
        raise UsageError("--discount-over must be a percentage from 0 to 99.9")
    value = None if discount_over is None else Decimal(str(discount_over))
    return LossFilter(value, below_min_price, percent(margin_below, "--margin-below"), scheme)


def parse_money(text: str, option: str) -> Decimal:
    from decimal import InvalidOperation

    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise UsageError(
            f"{option}: {text!r} is not a price", hint="e.g. 1499 or 1499.90"
        ) from None
    if not value.is_finite() or value <= 0:
        raise UsageError(f"{option}: the price must be above zero")
    return value.quantize(Decimal("0.01"))


# --- a journaled run: opening it and showing its result --------------------------------------

RESULT_COLUMNS = (
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=36),
    Column("status", "Result"),
    Column("action_price", "Action price", justify="right"),
    Column("price", "Regular price", justify="right"),
    Column("reason", "Reason", max_width=60),
)


def new_op(
    ctx: AppContext,
    kind: str,
    action: Action | None = None,
    *,
    writes: Sequence[str],
    **meta: Any,
) -> Operation:
    """A new promo operation that will write to the endpoints ``writes`` (the key's roles
    are judged first); ``seq`` orders operations started within one second."""
    ctx.check_roles(*writes)
    if action is not None:
        meta = {
            "action_id": action.id,
            "title": action.title,
            "action_type": action.action_type,
            **meta,
        }
    return ctx.journal("promo").new(kind, seq=time.time_ns(), **meta)


def run_with_progress(ctx: AppContext, op: Operation, *, total: int, label: str, **run: Any) -> int:
    """:func:`ozonctl.domain.promo_runs.run_journaled` with a progress bar on a terminal
    (``label``, ``total`` items); ``run`` are its arguments."""
    from ozonctl.domain.promo_runs import run_journaled

    with ctx.output.progress(label, total=total) as bar:
        return run_journaled(op, advance=bar.advance, **run)


class Named(Protocol):
    """What a report names a promotion by (Ozon's :class:`Action` or the seller's own)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...


def report(
    ctx: AppContext,
    action: Named,
    op: Operation,
    skipped: list[dict[str, Any]],
    requests: int,
    *,
    verb: str,
) -> None:
    """Print every product of ``op`` with its result (from the journal, so a finished
    rerun shows the whole leave), close the operation, exit 3 when any failed."""
    from ozonctl.domain.promo_runs import FAILED, finish, read_op, result_row
    from ozonctl.errors import PartialFailure

    state = read_op(op)
    rows = [result_row(it, state.outcomes.get(int(it["id"]))) for it in state.snapshot]
    all_rows = [*rows, *skipped]
    ctx.output.outcomes(
        RESULT_COLUMNS, all_rows, ref=op.ref, dry_run=False, key="status", schema=PROMO_CHANGE
    )
    counts: dict[str, int] = {}
    for r in all_rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    total_requests = int(op.header.get("requests", 0)) + requests
    status = finish(
        op, (r["status"] for r in rows), requests=total_requests, unknown=len(state.unsure)
    )
    good = counts.get(verb, 0)
    bad = sum(n for s, n in counts.items() if s in FAILED)
    ctx.output.info(
        f"{verb} {good} of {len(rows)} products, «{action.title}» ({action.id}), "
        f"{requests} write request(s); journal {op.ref} ({status})"
    )
    if verb == "left" and good:
        ctx.output.info(f"undo: ozonctl promo rejoin {action.id} --leave {op.ref}")
    if bad:
        raise PartialFailure(f"{bad} product(s) failed (see the Result and Reason columns)")


# --- one flow for join, leave and rejoin, Ozon's promotions and the seller's own ----------

EMPTY = {"join": "nothing to join", "leave": "nothing to leave", "rejoin": "nothing to put back"}
"""What the result table says when a run has no product at all."""
REFUSED = {
    "join": "{n} product(s) refused before sending",
    "leave": "{n} of the products given were not found",
    "rejoin": "{n} product(s) could not be put back",
}
"""Exit 3's message when nothing was sent and ``n`` products failed before sending."""
DONE = {"join": "joined", "leave": "left", "rejoin": "joined"}
"""The result a product has when the run did what it was asked (``report``'s verb)."""
QUESTION = {
    "join": "Add {n} products to «{title}» ({id})?",
    "leave": "Take {n} products out of «{title}» ({id})?",
    "rejoin": "Put {n} products back into «{title}» ({id})?",
}
"""The confirmation asked before anything is sent."""
NOTHING = {
    "join": "",
    "leave": "nothing to take out of «{title}» ({id})",
    "rejoin": "nothing of leave {leave_ref} is out of the promotion now",
}
"""Said when there is nothing to send."""


def show_plan(
    ctx: AppContext,
    rows: list[dict[str, Any]],
    *,
    empty: str,
    columns: Sequence[Column] = RESULT_COLUMNS,
) -> None:
    """What a write would do (a dry run) or why it sends nothing: one row per product,
    or with --json the envelope without a journal ref."""
    ctx.output.outcomes(
        columns, rows, ref=None, dry_run=ctx.dry_run, key="status", empty=empty, schema=PROMO_CHANGE
    )


@dataclass
class Planned:
    """A join, leave or rejoin ready to run, of Ozon's promotion or of the seller's own:
    what is sent, what is not and how the user is told. What differs between the two
    kinds of promotion (the methods, the read-back) is in the ``start``/``send`` that
    :func:`carry_out` is given."""

    kind: str
    """``join``, ``leave`` or ``rejoin``."""
    promo: Named
    items: list[dict[str, Any]]
    """Snapshot items to send (:func:`ozonctl.domain.promo_runs.snap`)."""
    would: list[dict[str, Any]]
    """The rows a dry run prints for ``items``."""
    others: list[dict[str, Any]]
    """Result rows of the products given that are not sent (refused, skipped, there)."""
    plan_line: str
    """What a dry run would send (``would add 3 products to …``)."""
    leave_ref: str = ""
    """The leave a rejoin undoes."""
    question: str = ""
    """The confirmation, when not the kind's (:data:`QUESTION`)."""
    snapshot_text: SnapshotText | None = None
    """The snapshot's TOML as far as it was made ahead (a leave's, during its walk)."""

    def say(self, texts: dict[str, str]) -> str:
        """The kind's text of ``texts``, with this run's promotion, count and leave."""
        p = self.promo
        return texts[self.kind].format(
            n=len(self.items), title=p.title, id=p.id, leave_ref=self.leave_ref
        )


def carry_out(
    ctx: AppContext,
    plan: Planned,
    *,
    start: Callable[[], Operation],
    send: Callable[[Operation], int],
    lock: str | None = None,
    after: Callable[[Operation], None] | None = None,
) -> None:
    """Run ``plan``: a dry run prints it; with nothing to send the rows of the others
    are printed (exit 3 when one of them failed); otherwise ask, then (under the state
    lock ``lock`` when the caller does not hold it already) open the operation
    (``start``), write the snapshot, ``send`` (the number of requests sent), ``after``
    (e.g. mark a leave undone) and report."""
    from ozonctl.domain.promo_runs import FAILED, record_snapshot
    from ozonctl.errors import PartialFailure

    if ctx.dry_run:
        show_plan(ctx, [*plan.would, *plan.others], empty=EMPTY[plan.kind])
        ctx.output.info(f"dry run: {plan.plan_line}; nothing was sent")
        return
    if not plan.items:
        show_plan(ctx, plan.others, empty=EMPTY[plan.kind])
        if nothing := plan.say(NOTHING):
            ctx.output.info(nothing)
        failed = sum(1 for r in plan.others if r["status"] in FAILED)
        if failed:
            raise PartialFailure(REFUSED[plan.kind].format(n=failed))
        return
    ctx.confirm(plan.question or plan.say(QUESTION))
    with ctx.lock(lock) if lock else contextlib.nullcontext():
        op = start()
        record_snapshot(op, plan.items, plan.snapshot_text)
        sent = send(op)
        if after is not None:
            after(op)
        report(ctx, plan.promo, op, plan.others, sent, verb=DONE[plan.kind])


def send_joins(
    ctx: AppContext, client: OzonClient, action: Action, op: Operation, items: list[dict[str, Any]]
) -> int:
    """Put ``items`` into Ozon's promotion at their action price (``join``, ``rejoin``),
    with a progress bar; the number of requests sent."""
    from ozonctl.domain.promo_runs import send_updates

    with ctx.output.progress("Joining", total=len(items)) as bar:
        return send_updates(
            client,
            action,
            op,
            items,
            first_step=1,
            price=lambda it: Decimal(it["action_price"]),
            leaving=False,
            advance=bar.advance,
        )


def same_leave(unfinished: Operation, action_id: int, selection: str) -> None:
    """A usage error when the interrupted leave ``unfinished`` chose other products than
    ``selection`` (its key): finish it, undo it or start afresh."""
    from ozonctl.domain.promo_runs import read_op

    if unfinished.header.get("selection") != selection:
        done = read_op(unfinished)
        raise UsageError(
            f"leave {unfinished.ref} of promotion {action_id} was interrupted "
            f"({len(done.outcomes)} of {len(done.snapshot)} products answered)",
            hint="run the same command again to finish it, undo it with `ozonctl "
            f"promo rejoin {action_id} --leave {unfinished.ref}`, or add --fresh",
        )
