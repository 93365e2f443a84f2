"""``order track``: set tracking numbers (rFBS), one on the command line or many from a
CSV file; 20 a request, with Ozon's result for every posting."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import OzonctlError, PartialFailure, UsageError

HEADER_NAMES = frozenset({"posting_number", "posting", "posting number"})


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """``posting_number,tracking_number`` lines (comma, semicolon or tab; an optional
    header line). A posting given twice is an error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"--from-file {path}: {exc.strerror or exc}") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    pairs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for lineno, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if lineno == 1 and cells[0].lower() in HEADER_NAMES:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise UsageError(
                f"{path}:{lineno}: expected posting_number,tracking_number, got {row!r}"
            )
        if cells[0] in seen:
            raise UsageError(
                f"{path}:{lineno}: posting {cells[0]} is also on line {seen[cells[0]]}"
            )
        seen[cells[0]] = lineno
        pairs.append((cells[0], cells[1]))
    if not pairs:
        raise UsageError(f"{path}: no posting_number,tracking_number lines")
    return pairs


def track(
    posting: Annotated[str | None, typer.Argument(help="The posting number.")] = None,
    tracking_number: Annotated[str | None, typer.Argument(help="Its tracking number.")] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            "-f",
            metavar="FILE.csv",
            help="Many at once: posting_number,tracking_number per line (header optional).",
        ),
    ] = None,
) -> None:
    """Set tracking numbers of rFBS postings.

    Prints Ozon's result for each posting; exit 3 when some failed or have an unknown
    outcome (they are listed), 1 when none was set. A request that got no answer (time-out,
    dropped connection, 5xx) is never sent again: its postings are "unknown", to check with
    `ozonctl order show`."""
    from ozonctl.cli.output import Column
    from ozonctl.client.errors import WriteOutcomeUnknown
    from ozonctl.client.models.postings import TrackingNumber

    ctx = app_context()
    if from_file is not None:
        if posting or tracking_number:
            raise UsageError("give either POSTING TRACKING_NUMBER or --from-file, not both")
        pairs = read_pairs(from_file)
    elif posting and tracking_number and tracking_number.strip():
        pairs = [(posting.strip(), tracking_number.strip())]
    else:
        raise UsageError(
            "give a posting and its tracking number, or --from-file FILE.csv",
            hint="e.g. ozonctl order track 12345678-0001-1 RR123456789RU",
        )
    columns = [
        Column("posting_number", "Posting"),
        Column("tracking_number", "Tracking number"),
        Column("ok", "Set"),
        Column("error", "Error"),
    ]
    if ctx.dry_run:
        ctx.output.info(f"dry run: would set {len(pairs)} tracking number(s); nothing sent")
        plan = [
            {"posting_number": p, "tracking_number": t, "ok": None, "error": ""} for p, t in pairs
        ]
        ctx.output.rows(columns, plan)
        return
    ctx.confirm(f"Set {len(pairs)} tracking number(s)?")
    numbers = dict(pairs)
    rows: list[dict[str, Any]] = []
    client = ctx.client()
    with ctx.output.progress("Tracking numbers", total=len(pairs)) as bar:
        report = client.postings.set_tracking(
            [TrackingNumber(posting_number=p, tracking_number=t) for p, t in pairs],
            on_done=lambda outcome: bar.advance(len(outcome.items)),
        )
    for outcome in report.outcomes:
        if isinstance(outcome.error, WriteOutcomeUnknown):
            rows += [
                {
                    "posting_number": p.posting_number,
                    "tracking_number": p.tracking_number,
                    "ok": None,
                    "error": f"outcome unknown: {outcome.error.message}",
                }
                for p in outcome.items
            ]
            continue
        for r in client.postings.tracking_results(outcome):
            rows.append(
                {
                    "posting_number": r.posting_number,
                    "tracking_number": numbers.get(r.posting_number, ""),
                    "ok": r.result,
                    "error": r.error if not r.result else "",
                }
            )
    for batch in report.not_sent:
        rows += [
            {
                "posting_number": p.posting_number,
                "tracking_number": p.tracking_number,
                "ok": False,
                "error": "not sent: an earlier batch was refused (credentials)",
            }
            for p in batch
        ]
    ctx.output.rows(columns, rows)
    raise_for_outcomes(rows)
    ctx.output.success(f"set {len(rows)} tracking number(s)")


def raise_for_outcomes(rows: list[dict[str, Any]]) -> None:
    """Exit 1 when none was set, 3 when some were not; an unknown outcome (``ok`` None)
    is said to be unknown, never "not set"."""
    unknown = sum(r["ok"] is None for r in rows)
    failed = sum(r["ok"] is False for r in rows)
    if not unknown and not failed:
        return
    parts = [f"{failed} not set"] if failed else []
    if unknown:
        parts.append(
            f"{unknown} with an unknown outcome (they may have been set; ozonctl did not "
            "send them again: check with `ozonctl order show POSTING`)"
        )
    detail = "; ".join(parts)
    if unknown + failed == len(rows):
        what = "no tracking number is known to be set" if unknown else "no tracking number was set"
        raise OzonctlError(f"{what}: {detail}, listed above")
    raise PartialFailure(
        f"{unknown + failed} of {len(rows)} tracking number(s) not known to be set: {detail}, "
        "listed above"
    )
