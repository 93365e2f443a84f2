"""Package labels for any number of postings, as one PDF.

Ozon makes labels through tasks (``/v3/posting/fbs/package-label/create``, 100 postings
a task; ``/v2/posting/fbs/package-label/get`` until the task is completed; the file from
its ``file_url``). More than 100 postings are several tasks and several files: they are
merged, in the order the postings were asked, into one PDF with pypdf (a well-kept
pure-Python library), so the seller prints one file. Postings Ozon could not print are
returned with its reason.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError

if TYPE_CHECKING:
    from ozonctl.client import OzonClient
    from ozonctl.client.models.postings import LabelTask

LABELS_PER_TASK = 100


@dataclass(slots=True)
class Labels:
    pdf: bytes | None = None
    """One PDF with every printed label; None when none was printed."""
    printed: int = 0
    pages: int = 0
    tasks: int = 0
    unprinted: list[dict[str, Any]] = field(default_factory=list)
    """``{posting_number, message}`` for each posting Ozon did not print."""


def pick_task(tasks: list[LabelTask], size: str) -> LabelTask:
    """The task of the label size asked for (``big``/``small``), else Ozon's first."""
    wanted = f"{size}_label"
    for task in tasks:
        if task.task_type == wanted:
            return task
    if not tasks:
        raise OzonctlError("Ozon created no label task", hint="try `order label` again")
    return tasks[0]


def fetch(
    client: OzonClient,
    numbers: Sequence[str],
    *,
    size: str = "big",
    wait: float = 120.0,
    advance: Callable[[int], None] = lambda _n: None,
) -> Labels:
    """Labels of ``numbers``: one task per 100 postings, polled for up to ``wait``
    seconds each, the files merged into one PDF."""
    from ozonctl.client.batching import chunked

    out = Labels()
    files: list[tuple[int, bytes]] = []
    for batch in chunked(list(numbers), LABELS_PER_TASK):
        task = pick_task(client.postings.create_label_tasks(batch), size)
        state = client.postings.wait_label_task(task.task_id, timeout=wait)
        out.tasks += 1
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
            files.append((task.task_id, client.postings.fetch_label_file(state.file_url)))
            out.printed += state.status.printed_postings_count or len(batch) - len(missing)
        out.unprinted += missing
        advance(len(batch))
    if files:
        out.pdf, out.pages = merge(files)
    return out


def merge(files: Sequence[tuple[int, bytes]]) -> tuple[bytes, int]:
    """(one PDF of every page of ``files``, in order; its page count). Each file is read
    first, so a file that is not a PDF is refused (``OzonctlError``) before anything
    is written; a single file is kept byte for byte."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    readers = []
    for task_id, data in files:
        try:
            reader = PdfReader(io.BytesIO(data))
            len(reader.pages)  # parses the page tree: a broken file fails here
        except (PyPdfError, ValueError, OSError) as exc:
            raise OzonctlError(
                f"the label file of task {task_id} is not a readable PDF ({exc})",
                hint="run `ozonctl order label` again",
            ) from None
        readers.append(reader)
    if len(files) == 1:
        return files[0][1], len(readers[0].pages)
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), sum(len(r.pages) for r in readers)
