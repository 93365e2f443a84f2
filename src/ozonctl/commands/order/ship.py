"""``order ship``: package and ship a posting, whole or split, and report what Ozon did.

A 200 from ``/v4/posting/fbs/ship`` does not mean shipped: every posting the order became
is re-read with ``/v3/posting/fbs/get`` and judged by its status and substatus.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.cli.write_schemas import SHIP_OUTCOME
from ozonctl.commands.order._common import (
    items_text,
    parse_items,
    resolve_items,
)
from ozonctl.domain.shipping import outcome_of
from ozonctl.errors import OzonctlError, PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.postings import Posting, PostingProduct

PACKAGE_HELP = (
    "One package (box) as SKU:QTY[,SKU:QTY...]; repeat for a split. A bare SKU (or offer "
    "id) takes all its units; units not named go into one more package."
)


def plan_packages(
    products: Sequence[PostingProduct], specs: Sequence[str]
) -> list[list[tuple[int, int]]]:
    """The packages to send, as lists of (sku, quantity)."""
    have: dict[int, int] = {}
    for p in products:
        have[p.sku] = have.get(p.sku, 0) + p.quantity
    if not specs:
        return [list(have.items())]
    packages = [resolve_items(parse_items(s, "--package"), products, "--package") for s in specs]
    packed: dict[int, int] = {}
    for package in packages:
        for sku, qty in package:
            packed[sku] = packed.get(sku, 0) + qty
    over = [f"{sku} ({packed[sku]} > {have[sku]})" for sku in packed if packed[sku] > have[sku]]
    if over:
        raise UsageError(f"--package asks for more units than the posting has: {', '.join(over)}")
    rest = [
        (sku, qty - packed.get(sku, 0)) for sku, qty in have.items() if qty > packed.get(sku, 0)
    ]
    return [*packages, rest] if rest else packages


def ship(
    postings: Annotated[
        list[str] | None,
        typer.Argument(help="The posting(s) to package and ship (awaiting_packaging)."),
    ] = None,
    package: Annotated[
        list[str] | None,
        typer.Option("--package", "-k", metavar="SPEC", help=PACKAGE_HELP),
    ] = None,
    from_file: FromFileOption = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            metavar="FILE.pdf",
            help="With several postings: then write the labels of every shipped one "
            "into this one PDF.",
        ),
    ] = None,
    retry_unknown: Annotated[
        bool,
        typer.Option(
            "--retry-unknown",
            help="Send again postings whose earlier ship has an unknown outcome (after "
            "you checked that it did not happen).",
        ),
    ] = False,
) -> None:
    """Package and ship postings (awaiting_packaging → awaiting_deliver), whole or split.

    Examples: `order ship 123-0001-1` (one package); `order ship 123-0001-1 --package
    111:1 --package 111:1,222:2` (two packages); `order list --status awaiting_packaging
    | order ship --from-file - --yes` (many, one package each: one outcome a posting,
    exit 3 when some did not ship). Re-reads every resulting posting and reports the
    real outcome; one posting exits 1 when Ozon did not ship it (substatus ship_failed:
    run it again) or the outcome is not known yet."""
    numbers = ids_from(postings, from_file)
    if not numbers:
        raise UsageError("no posting numbers given", hint="name a posting or use --from-file")
    if len(numbers) > 1 or from_file is not None:
        if package:
            raise UsageError(
                "--package splits one posting; it cannot go with several postings",
                hint="ship the posting to split on its own",
            )
        ship_many(numbers, retry_unknown, labels)
        return
    if labels is not None:
        raise UsageError("--labels goes with several postings; use `order label` for one")
    ship_one(numbers[0], package or [])


def ship_one(posting: str, package: list[str]) -> None:
    """One posting, whole or split into ``package`` boxes."""
    from ozonctl.client.errors import WriteOutcomeUnknown
    from ozonctl.client.models.postings import ShipPackage, ShipProduct

    ctx = app_context()
    client = ctx.client()
    before = client.postings.fbs_get(posting)
    if before.status != "awaiting_packaging":
        raise OzonctlError(
            f"posting {posting} is {before.status}"
            + (f" ({before.substatus})" if before.substatus else "")
            + ", not awaiting_packaging: nothing to ship",
            hint=f"see `ozonctl order show {posting}`",
        )
    packages = plan_packages(before.products, package)
    plan = {
        "posting_number": posting,
        "packages": [[{"sku": s, "quantity": q} for s, q in pkg] for pkg in packages],
    }
    if ctx.dry_run:
        from ozonctl.cli.output import Column

        ctx.output.info(
            f"dry run: would ship {posting} in {len(packages)} package(s); nothing sent"
        )
        rows = [
            {
                "posting_number": posting,
                "package": n,
                "status": before.status,
                "substatus": before.substatus,
                "products": items_text(pkg),
                "outcome": "would_ship",
                "note": "",
            }
            for n, pkg in enumerate(packages, 1)
        ]
        columns = [Column("package", "Package", justify="right"), Column("products", "SKU:QTY")]
        ctx.output.outcomes(
            columns, rows, ref=None, dry_run=True, key="outcome", schema=SHIP_OUTCOME
        )
        return
    ctx.confirm(f"Ship {posting} in {len(packages)} package(s)?")
    body = [
        ShipPackage(products=[ShipProduct(product_id=s, quantity=q) for s, q in pkg])
        for pkg in packages
    ]
    unknown = ""
    numbers: list[str] = []
    try:
        numbers = client.postings.ship(posting, body).result
    except WriteOutcomeUnknown as exc:
        unknown = exc.message
        ctx.output.warn(f"{exc.message}; re-reading the posting (ozonctl does not resend)")
        first = client.postings.fbs_get(posting, related=True)
        if first.related_postings:  # a split that did happen shows its new postings
            numbers = first.related_postings.related_posting_numbers
    after = [client.postings.fbs_get(n) for n in dict.fromkeys([posting, *numbers])]
    report(ctx, plan, after, unknown)


def report(ctx: AppContext, plan: dict[str, Any], after: list[Posting], unknown: str) -> None:
    from ozonctl.cli.output import Column

    rows: list[dict[str, Any]] = [
        {
            "posting_number": p.posting_number,
            "status": p.status,
            "substatus": p.substatus,
            "outcome": outcome_of(p),
            "products": items_text((x.sku, x.quantity) for x in p.products),
            "note": unknown,
        }
        for p in after
    ]
    outcomes = {r["outcome"] for r in rows}
    overall = (
        "shipped"
        if outcomes == {"shipped"}
        else ("ship_failed" if "ship_failed" in outcomes else "pending")
    )
    columns = [
        Column("posting_number", "Posting"),
        Column("status", "Status"),
        Column("substatus", "Substatus"),
        Column("outcome", "Outcome"),
        Column("products", "SKU:QTY"),
    ]
    ctx.output.outcomes(columns, rows, ref=None, dry_run=False, key="outcome", schema=SHIP_OUTCOME)
    posting = plan["posting_number"]
    if overall == "shipped":
        ctx.output.success(f"{posting} shipped: {', '.join(r['posting_number'] for r in rows)}")
        return
    if overall == "ship_failed":
        raise OzonctlError(
            f"Ozon accepted the request but did not ship {posting} (substatus ship_failed)",
            hint=f"run `ozonctl order ship {posting}` again; Ozon asks to retry",
        )
    raise OzonctlError(
        f"{posting} is not shipped yet (status {after[0].status})"
        + (" and the ship request's outcome is unknown" if unknown else ""),
        hint=f"check with `ozonctl order show {posting}` in a minute before shipping again",
    )


COLUMNS = (
    ("posting_number", "Posting"),
    ("status", "Status"),
    ("outcome", "Outcome"),
    ("products", "SKU:QTY"),
    ("note", "Note"),
)


def ship_many(numbers: list[str], retry_unknown: bool, labels: Path | None) -> None:
    """Many postings, one package each, each sent at most once (see domain/shipping)."""
    from ozonctl.cli.output import Column
    from ozonctl.domain import shipping

    ctx = app_context()
    client = ctx.client()
    journal = ctx.journal("order")
    items = [shipping.Item(n) for n in numbers]
    earlier = shipping.open_steps(journal)

    columns = [Column(k, title) for k, title in COLUMNS]
    with ctx.output.progress("Reading", total=len(items)) as bar:
        found = []
        for item, (_, now, why) in zip(items, shipping.read_all(client, numbers), strict=True):
            item.earlier = earlier.get(item.posting_number, [])
            found.append((now, why))
            bar.advance(1)
    if ctx.dry_run:
        for item, (now, error) in zip(items, found, strict=True):
            shipping.judge(item, now, error, retry_unknown, settle=False)
            item.outcome = item.outcome or "would_ship"
        ctx.output.info(
            f"dry run: would ship {sum(i.outcome == 'would_ship' for i in items)} of "
            f"{len(items)} posting(s), one package each; nothing sent"
        )
        ctx.output.outcomes(
            columns,
            [i.row() for i in items],
            ref=None,
            dry_run=True,
            key="outcome",
            schema=SHIP_OUTCOME,
        )
        return
    with ctx.lock("order ship"):
        for item, (now, error) in zip(items, found, strict=True):
            shipping.judge(item, now, error, retry_unknown)
    todo = [i for i in items if i.to_send]
    ref = None
    if todo:
        ctx.confirm(f"Ship {len(todo)} posting(s), one package each?")
        with ctx.lock("order ship"), ctx.output.progress("Shipping", total=len(todo)) as bar:
            shipping.claimed_meanwhile(journal, items)
            op = shipping.send(
                client, journal, items, meta={"source": "--from-file"}, advance=bar.advance
            )
            shipping.reread(client, op, items)
            ref = op.ref
    rows = [i.row() for i in items]
    ctx.output.outcomes(columns, rows, ref=ref, dry_run=False, key="outcome", schema=SHIP_OUTCOME)
    unlabelled = 0
    shipped = [i.posting_number for i in items if i.outcome in shipping.SUCCESS]
    if labels is not None and shipped:
        from ozonctl.commands.order.label import write_labels

        got = write_labels(ctx, client, shipped, labels)
        for miss in got.unprinted:
            ctx.output.warn(f"no label for {miss['posting_number']}: {miss['message']}")
        unlabelled = len(got.unprinted)
    counts = shipping.counts(items)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    bad = sum(n for k, n in counts.items() if k not in shipping.SUCCESS)
    if unlabelled and not bad:
        raise PartialFailure(
            f"all {len(items)} posting(s) shipped; {unlabelled} label(s) missing from {labels}",
            hint="run `ozonctl order label` for them in a minute (Ozon: 45-60 s after shipping)",
        )
    if bad:
        raise PartialFailure(
            f"{bad} of {len(items)} posting(s) not shipped ({summary})",
            hint="see the Note column; rerun the same file for ship_failed ones — "
            "what shipped is never sent again",
        )
    ctx.output.success(f"{len(items)} posting(s): {summary}")
