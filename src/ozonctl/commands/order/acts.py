"""``order act``: FBS acceptance acts and waybills (``/v2/posting/fbs/act/*``).

``create`` confirms the shipment of one delivery method (its postings awaiting the
courier go into one act: a write, journalled and never sent twice); ``list`` and ``show``
read acts; ``pdf`` waits until Ozon formed the documents and writes them; ``check``
compares the act's postings with those shipped and waiting for the courier (exit 6 when
they differ).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments
from ozonctl.commands._service import RETRY_UNKNOWN
from ozonctl.errors import OzonctlError, UsageError
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.client import OzonClient
    from ozonctl.client.models.acts import Act
    from ozonctl.client.models.postings import Posting
    from ozonctl.state.journal import Operation

app = typer.Typer(
    help="FBS acceptance acts and waybills: create, list, show, pdf, check.",
    no_args_is_help=True,
)
ActId = Annotated[int, typer.Argument(help="The act's id (`order act list`).")]
WINDOW = dt.timedelta(days=180)
SHIPPED = frozenset({"awaiting_deliver", "delivering", "driver_pickup", "delivered"})


def waiting(client: OzonClient) -> list[Posting]:
    """Postings shipped and waiting for the courier (``awaiting_deliver``)."""
    now = dt.datetime.now(dt.UTC)
    return list(client.postings.fbs_unfulfilled(now - WINDOW, now + WINDOW, ["awaiting_deliver"]))


@app.command("create")
def create(
    delivery_method: Annotated[
        int | None,
        typer.Option(
            "--delivery-method",
            metavar="ID",
            help="The delivery method to confirm; needed when postings wait for several.",
        ),
    ] = None,
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Confirm today's shipment of a delivery method: Ozon makes its act and waybill."""
    from ozonctl.commands._writes import Write, run

    ctx = app_context()
    client = ctx.client()
    methods: dict[int, tuple[str, int]] = {}
    for p in waiting(client):
        if p.delivery_method is not None:
            name, n = methods.get(p.delivery_method.id, (p.delivery_method.name, 0))
            methods[p.delivery_method.id] = (name, n + 1)
    if delivery_method is None:
        if not methods:
            raise UsageError("no posting awaits the courier: nothing to confirm")
        if len(methods) > 1:
            found = "; ".join(f"{k} ({name}: {n})" for k, (name, n) in methods.items())
            raise UsageError(
                f"postings wait for {len(methods)} delivery methods: {found}",
                hint="pick one with --delivery-method",
            )
        delivery_method = next(iter(methods))
    name, count = methods.get(delivery_method, ("?", 0))
    before = sum(a.delivery_method_id == delivery_method for a in recent_acts(client))

    def landed(op: Operation) -> bool:
        now = sum(a.delivery_method_id == delivery_method for a in recent_acts(client))
        return now > int(op.header.get("acts_before", 0))

    write = Write(
        area="order",
        kind="act-create",
        target=str(delivery_method),
        id_name="delivery_method_id",
        what={"postings": count, "acts_before": before},
        plan=f"confirm the shipment of {count} posting(s) by {name} ({delivery_method})",
        question=f"Confirm the shipment of {count} posting(s) by {name}?",
        done="created",
        send=lambda: client.postings.create_act(delivery_method),
        landed=landed,
        check_with="ozonctl order act list",
    )
    doc = run(ctx, write, retry_unknown)
    doc["act_id"] = doc.pop("result", None)
    ctx.output.document(doc, human=lambda: ctx.output.success(_created(doc)))


def _created(doc: dict[str, Any]) -> str:
    if doc.get("act_id"):
        return f"act {doc['act_id']} created; `ozonctl order act pdf {doc['act_id']} -o act.pdf`"
    return f"outcome: {doc.get('outcome')}"


def recent_acts(client: OzonClient, days: int = 30) -> list[Act]:
    now = dt.datetime.now(dt.UTC)
    return client.postings.acts(now - dt.timedelta(days=days), now + dt.timedelta(days=1))


@app.command("list")
def list_(from_: FromOption = None, to: ToOption = None, month: MonthOption = None) -> None:
    """Acts (carriages) created in the period (default the last 30 days; Ozon gives 50)."""
    from ozonctl.cli.output import Column
    from ozonctl.commands.order._common import period

    ctx = app_context()
    since, until = period(moments(from_, to, month), default_days=30)
    rows = (
        {
            "id": a.id,
            "created_at": a.created_at,
            "departure_date": a.departure_date,
            "delivery_method_id": a.delivery_method_id,
            "delivery_method_name": a.delivery_method_name,
            "status": a.status,
            "act_type": a.act_type,
            "next_carriage": a.has_postings_for_next_carriage,
        }
        for a in ctx.client().postings.acts(since, until)
    )
    columns = [
        Column("id", "Act", justify="right"),
        Column("created_at", "Created"),
        Column("departure_date", "Departure"),
        Column("delivery_method_name", "Delivery method name"),
        Column("status", "Status"),
        Column("next_carriage", "Left for next"),
    ]
    ctx.output.rows(columns, rows, empty="no acts in the period")


def posting_rows(client: OzonClient, act_id: int) -> list[dict[str, Any]]:
    return [
        {
            "posting_number": p.posting_number,
            "status": p.status,
            "products": ",".join(f"{x.sku}:{x.quantity}" for x in p.products),
            "seller_error": p.seller_error,
        }
        for p in client.postings.act_postings(act_id)
    ]


@app.command("show")
def show(act_id: ActId) -> None:
    """An act: its status, and its postings (`--json`: both, with those left out)."""
    from ozonctl.cli.output import Column
    from ozonctl.commands.order._common import document_rows

    ctx = app_context()
    client = ctx.client()
    status = client.postings.act_status(act_id)
    rows = posting_rows(client, act_id)
    doc = {"id": act_id, **status.model_dump(), "postings": rows}
    ctx.output.info(f"act {act_id}: {status.status or '?'}, {len(rows)} posting(s)")
    columns = [
        Column("posting_number", "Posting"),
        Column("status", "Status"),
        Column("products", "SKU:QTY"),
        Column("seller_error", "Error"),
    ]
    document_rows(ctx.output, doc, columns, rows)


@app.command("pdf")
def pdf(
    act_id: ActId,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF to write.")],
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="How long to wait for Ozon.")
    ] = 120.0,
) -> None:
    """The act's documents (shipping list or acceptance act, and waybill) as one PDF,
    once Ozon has formed them."""
    from ozonctl.state.files import atomic_write_bytes

    ctx = app_context()
    client = ctx.client()
    deadline, interval = time.monotonic() + wait, 0.5
    while True:
        status = client.postings.act_status(act_id).status
        if status == "ready":
            break
        if status == "error":
            raise OzonctlError(f"Ozon could not form the documents of act {act_id}")
        if time.monotonic() + interval > deadline:
            raise OzonctlError(
                f"the documents of act {act_id} were still {status or 'not ready'} "
                f"after {wait:g} s",
                hint="run it again later, or give a longer --wait",
            )
        time.sleep(interval)
        interval = min(interval * 1.5, 3.0)
    data = client.postings.act_pdf(act_id)
    atomic_write_bytes(output, data)
    ctx.output.document(
        {"id": act_id, "file": str(output), "bytes": len(data)},
        human=lambda: ctx.output.success(f"wrote {output} ({len(data)} bytes)"),
    )


@app.command("check")
def check(act_id: ActId) -> None:
    """Compare the act's postings with those shipped and waiting for the courier of its
    delivery method: `missing` (shipped, not in the act: they go with the next carriage),
    `extra` (in the act, but not shipped now: cancelled, say). Exit 6 when any differ."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    client = ctx.client()
    acts = {a.id: a for a in recent_acts(client, days=60)}
    if act_id not in acts:
        raise UsageError(f"no act {act_id} in the last 60 days", hint="see `order act list`")
    method = acts[act_id].delivery_method_id
    in_act = {p.posting_number: p.status for p in client.postings.act_postings(act_id)}
    shipped = {
        p.posting_number
        for p in waiting(client)
        if p.delivery_method is not None and p.delivery_method.id == method
    }
    rows = [
        {"posting_number": n, "problem": "missing", "status": "awaiting_deliver"}
        for n in sorted(shipped - set(in_act))
    ] + [
        {"posting_number": n, "problem": "extra", "status": s}
        for n, s in sorted(in_act.items())
        if s not in SHIPPED
    ]
    columns = [
        Column("posting_number", "Posting"),
        Column("problem", "Problem"),
        Column("status", "Status"),
    ]
    ctx.output.rows(columns, rows, empty="")
    if rows:
        ctx.output.warn(
            f"act {act_id} differs from what was shipped: "
            f"{sum(r['problem'] == 'missing' for r in rows)} missing, "
            f"{sum(r['problem'] == 'extra' for r in rows)} extra"
        )
        raise typer.Exit(ExitCode.ATTENTION)
    ctx.output.success(f"act {act_id} holds the {len(in_act)} posting(s) shipped")
