"""``order label``: package labels (PDF) for many postings, through Ozon's task-based
label methods: create a task (100 postings a task), poll it, fetch the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.commands.order._common import document_rows
from ozonctl.errors import OzonctlError, PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.postings import LabelTask

LABELS_PER_TASK = 100


def pick_task(tasks: list[LabelTask], size: str) -> LabelTask:
    wanted = f"{size}_label"
    for task in tasks:
        if task.task_type == wanted:
            return task
    if not tasks:
        raise OzonctlError("Ozon created no label task", hint="try `order label` again")
    return tasks[0]


def file_for(output: Path, index: int, count: int) -> Path:
    """``labels.pdf`` for one task; ``labels-1.pdf``, ``labels-2.pdf`` … for several."""
    if count == 1:
        return output
    return output.with_name(f"{output.stem}-{index + 1}{output.suffix or '.pdf'}")


def label(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The PDF to write. Over 100 postings: one file per 100 (NAME-1.pdf, …).",
        ),
    ],
    postings: Annotated[
        list[str] | None, typer.Argument(help="Posting numbers (awaiting_deliver).")
    ] = None,
    size: Annotated[
        str,
        typer.Option(
            "--size",
            help="big (default) or small labels, where Ozon offers both.",
            callback=one_of("big", "small"),
        ),
    ] = "big",
    wait: Annotated[
        float,
        typer.Option("--wait", metavar="SECONDS", help="How long to wait for each task."),
    ] = 120.0,
    from_file: FromFileOption = None,
) -> None:
    """Package labels for many postings at once, as PDF.

    Postings Ozon could not print are listed (stdout) with its reason; exit 3 when some
    were not printed, 1 when none were."""
    from ozonctl.cli.output import Column
    from ozonctl.client.batching import chunked
    from ozonctl.state.files import atomic_write_bytes

    ctx = app_context()
    numbers = ids_from(postings, from_file)
    if not numbers:
        raise UsageError("no posting numbers given")
    batches = chunked(numbers, LABELS_PER_TASK)
    if ctx.dry_run:
        names = ", ".join(str(file_for(output, i, len(batches))) for i in range(len(batches)))
        ctx.output.info(
            f"dry run: would create {len(batches)} label task(s) for {len(numbers)} "
            f"posting(s) and write {names}; nothing sent"
        )
        return
    client = ctx.client()
    files: list[str] = []
    printed = 0
    unprinted: list[dict[str, Any]] = []
    with ctx.output.progress("Labels", total=len(numbers)) as bar:
        for index, batch in enumerate(batches):
            task = pick_task(client.postings.create_label_tasks(batch), size)
            state = client.postings.wait_label_task(task.task_id, timeout=wait)
            missing = [
                {"posting_number": u.posting_number, "message": u.message}
                for u in state.status.unprinted_postings
            ]
            failed = state.error is not None and bool(state.error.code or state.error.message)
            if failed or not state.file_url:
                why = (state.error.message or state.error.code) if state.error else ""
                listed = {m["posting_number"] for m in missing}
                missing += [
                    {"posting_number": n, "message": why or f"task {state.status.code or 'failed'}"}
                    for n in batch
                    if n not in listed
                ]
            else:
                path = file_for(output, index, len(batches))
                atomic_write_bytes(path, client.postings.fetch_label_file(state.file_url))
                files.append(str(path))
                printed += state.status.printed_postings_count or len(batch) - len(missing)
            unprinted += missing
            bar.advance(len(batch))
    doc = {"files": files, "printed": printed, "unprinted": unprinted}
    columns = [Column("posting_number", "Not printed"), Column("message", "Reason")]
    document_rows(ctx.output, doc, columns, unprinted)
    if files:
        ctx.output.success(f"wrote {', '.join(files)} ({printed} label(s))")
    if not files:
        raise OzonctlError(
            f"no labels printed for {len(numbers)} posting(s)",
            hint="labels exist for postings in awaiting_deliver; see the reasons above",
        )
    if unprinted:
        raise PartialFailure(f"{len(unprinted)} of {len(numbers)} posting(s) were not printed")
