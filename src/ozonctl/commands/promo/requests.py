"""``promo requests``: buyers' discount requests — list them, approve or decline them
(≤50 a request; Ozon answers per request which ones failed and why)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, numbers_from
from ozonctl.cli.output import Column
from ozonctl.cli.write_schemas import REQUEST_OUTCOME
from ozonctl.commands.promo.common import discount_pct, parse_money
from ozonctl.errors import PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.batching import BatchReport
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import DiscountTask

STATUSES = ("ALL", "NEW", "APPROVED", "DECLINED")
OPEN = frozenset({"NEW", "SEEN"})

app = typer.Typer(
    help="Buyers' discount requests: list (default), approve, decline.",
    invoke_without_command=True,
    no_args_is_help=False,
)

COLUMNS = (
    Column("id", "ID", justify="right"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=36),
    Column("status", "Status"),
    Column("original_price", "Price", justify="right"),
    Column("requested_price", "Asked", justify="right"),
    Column(
        "requested_discount_pct",
        "Discount",
        justify="right",
        fmt=lambda v: f"{v}%" if v is not None else "",
    ),
    Column("requested_quantity_max", "Qty", justify="right"),
    Column("created_at", "Created"),
    Column("edited_till", "Answer by"),
)
RESULT_COLUMNS = (
    Column("id", "ID", justify="right"),
    Column("sku", "SKU", justify="right"),
    Column("status", "Result"),
    Column("price", "Price", justify="right"),
    Column("reason", "Reason", max_width=60),
)


def task_row(t: DiscountTask) -> dict[str, Any]:
    row = t.model_dump(mode="python")
    row["requested_discount_pct"] = discount_pct(t.original_price, t.requested_price)
    return row


@app.callback()
def requests(
    typer_ctx: typer.Context,
    status: Annotated[
        str,
        typer.Option(
            "--status", help="ALL, NEW, APPROVED or DECLINED.", callback=one_of(*STATUSES)
        ),
    ] = "ALL",
) -> None:
    """Buyers' discount requests (default: list them)."""
    if typer_ctx.invoked_subcommand is not None:
        return
    ctx = app_context()
    client = ctx.client()
    rows = (task_row(t) for t in client.promos.discount_tasks(status))
    from ozonctl.cli.schemas import PROMO_REQUEST

    ctx.output.rows(COLUMNS, rows, empty="no discount requests", schema=PROMO_REQUEST)


Ids = Annotated[
    list[str] | None,
    typer.Argument(metavar="[ID]...", help="Request ids (see `promo requests`), or --from-file."),
]
Comment = Annotated[
    str | None, typer.Option("--comment", metavar="TEXT", help="A note the buyer sees.")
]


def _find(ctx: AppContext, ids: list[int]) -> tuple[dict[int, DiscountTask], list[dict[str, Any]]]:
    """The open requests among ``ids``, and result rows for the rest."""
    wanted = set(ids)
    found: dict[int, DiscountTask] = {}
    for t in ctx.client().promos.discount_tasks("ALL"):
        if t.id in wanted:
            found[t.id] = t
            if len(found) == len(wanted):
                break
    skipped: list[dict[str, Any]] = []
    for i in dict.fromkeys(ids):
        task = found.get(i)
        if task is None:
            skipped.append({"id": i, "status": "not_found", "reason": "no such request"})
        elif task.status not in OPEN:
            skipped.append(
                {"id": i, "sku": task.sku, "status": "skipped", "reason": f"already {task.status}"}
            )
            del found[i]
    return found, skipped


def _finish(
    ctx: AppContext,
    verb: str,
    tasks: dict[int, DiscountTask],
    prices: dict[int, Decimal | None],
    skipped: list[dict[str, Any]],
    report: BatchReport[Any] | None,
) -> None:
    failed: dict[int, str] = {}
    for o in report.outcomes if report else []:
        if o.ok:
            failed.update(
                {f.task_id: f.error_for_user or "refused" for f in o.response.fail_details}
            )
        else:
            failed.update({t.id: f"request failed: {o.error}" for t in o.items})
    rows = [
        {
            "id": i,
            "sku": t.sku,
            "status": "failed" if i in failed else verb,
            "price": prices.get(i),
            "reason": failed.get(i, ""),
        }
        for i, t in tasks.items()
    ]
    ctx.output.outcomes(
        RESULT_COLUMNS,
        [*rows, *skipped],
        ref=None,
        dry_run=False,
        key="status",
        schema=REQUEST_OUTCOME,
    )
    bad = len(failed) + sum(1 for s in skipped if s["status"] == "not_found")
    ctx.output.info(f"{verb} {len(rows) - len(failed)} of {len(rows) + len(skipped)} requests")
    if bad:
        raise PartialFailure(f"{bad} request(s) failed (see the Reason column)")


def _answer(
    given: list[str] | None,
    from_file: str | None,
    verb: str,
    done: str,
    price_of: Callable[[DiscountTask], Decimal | None],
    send: Callable[
        [OzonClient, dict[int, DiscountTask], dict[int, Decimal | None]], BatchReport[Any]
    ],
) -> None:
    """Find the open requests among ``ids``, show the plan (--dry-run) or ask, send,
    and print one result per request."""
    ids = numbers_from(given, from_file, "a request id")
    if not ids:
        raise UsageError("give request ids, or --from-file FILE")
    ctx = app_context()
    tasks, skipped = _find(ctx, ids)
    prices = {i: price_of(t) for i, t in tasks.items()}
    if ctx.dry_run:
        rows = [
            {"id": i, "sku": t.sku, "status": f"would_{verb}", "price": prices[i], "reason": ""}
            for i, t in tasks.items()
        ]
        ctx.output.outcomes(
            RESULT_COLUMNS,
            [*rows, *skipped],
            ref=None,
            dry_run=True,
            key="status",
            schema=REQUEST_OUTCOME,
        )
        ctx.output.info(f"dry run: would {verb} {len(rows)} requests; nothing was sent")
        return
    report = None
    if tasks:
        ctx.confirm(f"{verb.capitalize()} {len(tasks)} discount requests?")
        report = send(ctx.client(), tasks, prices)
    _finish(ctx, done, tasks, prices, skipped, report)


@app.command()
def approve(
    ids: Ids = None,
    price: Annotated[
        str | None,
        typer.Option("--price", metavar="P", help="Approved price (default: the price asked)."),
    ] = None,
    quantity_min: Annotated[
        int, typer.Option("--quantity-min", min=1, help="Fewest units per order.")
    ] = 1,
    quantity_max: Annotated[
        int | None,
        typer.Option("--quantity-max", min=1, help="Most units per order (default: as asked)."),
    ] = None,
    comment: Comment = None,
    from_file: FromFileOption = None,
) -> None:
    """Approve requests at the price asked (or --price)."""
    from ozonctl.client.models.promos import ApproveTask

    fixed = parse_money(price, "--price") if price is not None else None

    def send(
        client: OzonClient, tasks: dict[int, DiscountTask], prices: dict[int, Decimal | None]
    ) -> BatchReport[Any]:
        return client.promos.approve_tasks(
            [
                ApproveTask(
                    id=i,
                    approved_price=prices[i] or Decimal(0),
                    approved_quantity_min=quantity_min,
                    approved_quantity_max=max(
                        quantity_min, quantity_max or t.requested_quantity_max or quantity_min
                    ),
                    seller_comment=comment,
                )
                for i, t in tasks.items()
            ]
        )

    _answer(ids, from_file, "approve", "approved", lambda t: fixed or t.requested_price, send)


@app.command()
def decline(ids: Ids = None, comment: Comment = None, from_file: FromFileOption = None) -> None:
    """Decline requests."""
    from ozonctl.client.models.promos import DeclineTask

    def send(
        client: OzonClient, tasks: dict[int, DiscountTask], prices: dict[int, Decimal | None]
    ) -> BatchReport[Any]:
        return client.promos.decline_tasks(
            [DeclineTask(id=i, seller_comment=comment) for i in tasks]
        )

    _answer(ids, from_file, "decline", "declined", lambda t: t.requested_price, send)
