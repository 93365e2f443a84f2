"""``order label``: package labels (PDF) for any number of postings, in one file
(domain/labels.py: Ozon's label tasks, 100 postings a task, merged)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.commands.order._common import document_rows
from ozonctl.errors import OzonctlError, PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client import OzonClient
    from ozonctl.domain.labels import Labels

SIZE_HELP = "big (default) or small labels, where Ozon offers both."
WAIT_HELP = "How long to wait for each of Ozon's label tasks."


def label(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The PDF to write: every label in one file."),
    ],
    postings: Annotated[
        list[str] | None, typer.Argument(help="Posting numbers (awaiting_deliver).")
    ] = None,
    size: Annotated[
        str, typer.Option("--size", help=SIZE_HELP, callback=one_of("big", "small"))
    ] = "big",
    wait: Annotated[float, typer.Option("--wait", metavar="SECONDS", help=WAIT_HELP)] = 120.0,
    from_file: FromFileOption = None,
) -> None:
    """Package labels for any number of postings, as one PDF.

    Postings Ozon could not print are listed (stdout) with its reason; exit 3 when some
    were not printed, 1 when none were."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    numbers = ids_from(postings, from_file)
    if not numbers:
        raise UsageError("no posting numbers given")
    if ctx.dry_run:
        ctx.output.info(
            f"dry run: would ask Ozon for the labels of {len(numbers)} posting(s) and "
            f"write them to {output}; nothing sent"
        )
        return
    got = write_labels(ctx, ctx.client(), numbers, output, size=size, wait=wait)
    doc = {
        "files": [str(output)] if got.pdf else [],
        "printed": got.printed,
        "pages": got.pages,
        "unprinted": got.unprinted,
    }
    columns = [Column("posting_number", "Not printed"), Column("message", "Reason")]
    document_rows(ctx.output, doc, columns, got.unprinted)
    if not got.pdf:
        raise OzonctlError(
            f"no labels printed for {len(numbers)} posting(s)",
            hint="labels exist for postings in awaiting_deliver; see the reasons above",
        )
    if got.unprinted:
        raise PartialFailure(f"{len(got.unprinted)} of {len(numbers)} posting(s) were not printed")


def write_labels(
    ctx: AppContext,
    client: OzonClient,
    numbers: list[str],
    output: Path,
    *,
    size: str = "big",
    wait: float = 120.0,
) -> Labels:
    """Fetch the labels of ``numbers`` and write them, merged, to ``output`` (atomically;
    nothing is written when none was printed). Also used by ``order ship --labels``."""
    from ozonctl.domain.labels import fetch
    from ozonctl.state.files import atomic_write_bytes

    with ctx.output.progress("Labels", total=len(numbers)) as bar:
        got = fetch(client, numbers, size=size, wait=wait, advance=bar.advance)
    if got.pdf:
        atomic_write_bytes(output, got.pdf)
        ctx.output.success(
            f"wrote {output}: {got.printed} label(s), {got.pages} page(s)"
            + (f" from {got.tasks} Ozon label tasks" if got.tasks > 1 else "")
        )
    return got
