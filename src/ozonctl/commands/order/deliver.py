"""``order deliver | last-mile | delivered``: the delivery statuses of rFBS postings, which
the seller's own carrier delivers (``/v2/fbs/posting/delivering``, ``last-mile``,
``delivered``; Ozon's ``non_int_*`` actions).

Each posting is read first: an FBS one (Ozon delivers it), one already there and one in
a status the move does not start from are reported and not sent. The rest are confirmed
once, then each is journalled and sent once through ``commands/_writes.py`` (a lost
answer is settled by re-reading the posting, never resent on its own), and the outcome
of every posting is printed; exit 3 when some did not move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.errors import OzonctlError, PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.postings import Posting

ON_WAY, COURIER, CONDITIONAL = (
    "posting_on_way_to_city",
    "posting_in_courier_service",
    "posting_conditionally_delivered",
)


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    """The endpoint's last word (``posting.rfbs.<key>``)."""
    status: str
    """What the seller reads: the status it moves to."""
    starts: tuple[tuple[str, str], ...]
    """(status, substatus) it moves from (``*``: any substatus)."""
    ends: tuple[tuple[str, str], ...]
    """(status, substatus) that show it done (or further on)."""


_DONE = (("delivering", CONDITIONAL), ("delivered", "*"))
STEPS = {
    "deliver": Step(
        "delivering",
        "delivering",
        (("awaiting_deliver", "*"),),
        (("delivering", "*"), ("delivered", "*")),
    ),
    "last-mile": Step(
        "last_mile", "last mile", (("delivering", ON_WAY),), (("delivering", COURIER), *_DONE)
    ),
    "delivered": Step(
        "delivered", "delivered", (("delivering", ON_WAY), ("delivering", COURIER)), _DONE
    ),
}

Postings = Annotated[
    list[str] | None, typer.Argument(metavar="POSTING…", help="rFBS posting numbers.")
]
RetryUnknown = Annotated[
    bool,
    typer.Option(
        "--retry-unknown",
        help="After you checked that an earlier change with an unknown outcome did not "
        "happen: send it again.",
    ),
]


def deliver(
    postings: Postings = None, from_file: FromFileOption = None, retry_unknown: RetryUnknown = False
) -> None:
    """rFBS: your carrier has the postings — status «delivering» (from awaiting_deliver)."""
    move("deliver", postings, from_file, retry_unknown)


def last_mile(
    postings: Postings = None, from_file: FromFileOption = None, retry_unknown: RetryUnknown = False
) -> None:
    """rFBS: the courier is on the way to the buyer — «last mile» (from delivering)."""
    move("last-mile", postings, from_file, retry_unknown)


def delivered(
    postings: Postings = None, from_file: FromFileOption = None, retry_unknown: RetryUnknown = False
) -> None:
    """rFBS: the buyer has the postings — «delivered» (Ozon shows them conditionally
    delivered until the buyer confirms)."""
    move("delivered", postings, from_file, retry_unknown)


def at(p: Posting, states: tuple[tuple[str, str], ...]) -> bool:
    return any(p.status == s and sub in ("*", p.substatus) for s, sub in states)


def move(name: str, args: list[str] | None, from_file: str | None, retry: bool) -> None:
    """Check every posting, confirm once, send each once; print every outcome."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import STATUS_CHANGE

    step = STEPS[name]
    numbers = ids_from(args, from_file)
    if not numbers:
        raise UsageError("give the rFBS posting numbers (or --from-file FILE)")
    ctx = app_context()
    client = ctx.client().postings
    rows: list[dict[str, Any]] = []
    todo: list[tuple[dict[str, Any], Posting]] = []
    for number in numbers:
        row, posting = check(ctx, step, name, number)
        rows.append(row)
        if posting is not None:
            todo.append((row, posting))
    if todo and not ctx.dry_run:
        ctx.confirm(f"Mark {len(todo)} rFBS posting(s) {step.status}?")
    refs: list[str] = []
    for row, posting in [] if ctx.dry_run else todo:
        row.update(send(ctx, step, name, posting, retry))
        if row.get("journal_ref"):
            refs.append(row["journal_ref"])
        if row["outcome"] in ("sent", "unknown"):
            row["status_now"] = status_of(client.fbs_get(posting.posting_number))
    columns = [
        Column("posting_number", "Posting"),
        Column("status_before", "Before"),
        Column("outcome", "Outcome"),
        Column("status_now", "Now"),
        Column("error", "Note", max_width=60),
    ]
    items = [{k: r.get(k) for k in ("posting_number", *KEYS)} for r in rows]
    ref = refs[-1] if refs else None
    ctx.output.outcomes(
        columns, items, ref=ref, dry_run=ctx.dry_run, key="outcome", schema=STATUS_CHANGE
    )
    report(rows, step)


KEYS = ("status_before", "outcome", "status_now", "error")


def status_of(p: Posting) -> str:
    return f"{p.status}/{p.substatus}" if p.substatus else p.status


def check(
    ctx: AppContext, step: Step, name: str, number: str
) -> tuple[dict[str, Any], Posting | None]:
    """The posting's row, and the posting when it is to be sent."""
    from ozonctl.client.errors import NotFoundError
    from ozonctl.commands._warehouses import shop_warehouses

    row: dict[str, Any] = {"posting_number": number, "status_before": None, "status_now": None}
    try:
        p = ctx.client().postings.fbs_get(number)
    except NotFoundError:
        return {**row, "outcome": "failed", "error": "no such FBS/rFBS posting"}, None
    row["status_before"] = row["status_now"] = status_of(p)
    wid = p.delivery_method.warehouse_id if p.delivery_method else 0
    known = shop_warehouses(ctx)
    rfbs = {w.id: w.rfbs for w in known.all()}
    if wid not in rfbs:  # a warehouse the day's cached list does not know yet
        rfbs = {w.id: w.rfbs for w in known.all(refresh=True)}
    if not rfbs.get(wid):
        why = "an FBS posting: Ozon delivers it, its status is Ozon's to set"
        return {**row, "outcome": "refused", "error": why}, None
    if at(p, step.ends):
        return {**row, "outcome": "already", "error": "nothing sent"}, None
    if not at(p, step.starts):
        starts = " or ".join(s if sub == "*" else f"{s}/{sub}" for s, sub in step.starts)
        why = f"`order {name}` moves a posting from {starts}; nothing sent"
        return {**row, "outcome": "refused", "error": why}, None
    return {**row, "outcome": "planned", "error": ""}, p


def send(ctx: AppContext, step: Step, name: str, p: Posting, retry: bool) -> dict[str, Any]:
    """One posting through the journalled write: its outcome, error and journal ref."""
    from ozonctl.client.errors import APIError
    from ozonctl.commands._writes import Write, open_attempts, run

    client = ctx.client().postings
    number = p.posting_number
    kind = f"rfbs-{name}"

    def send_it() -> bool:
        answer = client.set_rfbs_status(step.key, number)
        if not answer.result:
            raise OzonctlError(f"Ozon refused: {answer.error or 'no reason given'}")
        return True

    write = Write(
        area="order",
        kind=kind,
        target=number,
        what={"status_before": status_of(p)},
        plan=f"mark {number} {step.status}",
        question=f"Mark {number} {step.status}?",
        done="sent",
        send=send_it,
        landed=lambda _op: at(client.fbs_get(number), step.ends),
        id_name="posting",
        check_with=f"ozonctl order show {number}",
    )
    try:
        doc = run(ctx, write, retry, ask=False)
    except (APIError, OzonctlError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        journal = ctx.journal("order")
        unknown = open_attempts(journal, kind, "posting", number)
        return {"outcome": "unknown" if unknown else "failed", "error": text}
    outcome = {"dry_run": "planned", "already_done": "already"}.get(doc["outcome"], "sent")
    return {"outcome": outcome, "error": "", "journal_ref": doc.get("journal_ref")}


def report(rows: list[dict[str, Any]], step: Step) -> None:
    """Exit 3 when some postings did not move (1 when none did); the summary line."""
    ctx = app_context()
    bad = [r for r in rows if r["outcome"] in ("failed", "refused", "unknown")]
    if ctx.dry_run:
        ctx.output.info(f"dry run: {len(rows) - len(bad)} to mark {step.status}; nothing sent")
        return
    if not bad:
        ctx.output.success(f"{len(rows)} posting(s) {step.status}")
        return
    unknown = sum(r["outcome"] == "unknown" for r in bad)
    detail = f"{len(bad)} of {len(rows)} posting(s) not marked {step.status}" + (
        f" ({unknown} with an unknown outcome: not resent; check with `ozonctl order show`)"
        if unknown
        else ""
    )
    if len(bad) == len(rows):
        raise OzonctlError(f"{detail}, listed above")
    raise PartialFailure(f"{detail}, listed above")
