"""What the cron-safe bulk jobs share (``promo guard``, ``listing delist-stale``): one
run at a time under the state lock, a killed run settled first, the ``--max`` /
``--max-percent`` safety limit, and the end of a run (the outcomes, one summary line on
stderr, exit 3 when some change failed)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError, PartialFailure

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.cli.output import Column
    from ozonctl.cli.schema import Schema
    from ozonctl.client.client import OzonClient


@contextlib.contextmanager
def locked_run(
    ctx: AppContext, purpose: str, settle: Callable[[OzonClient], None]
) -> Iterator[OzonClient]:
    """The state lock for the whole run (exit 5 at once when another run holds it, or
    after ``--wait-lock``), then, unless this is a dry run, ``settle`` what a killed run
    left (so nothing is sent twice); yields the client."""
    with ctx.lock(purpose):
        client = ctx.client()
        if not ctx.dry_run:
            settle(client)
        yield client


def check_limit(
    matched: int,
    seen: int,
    max_count: int,
    max_percent: float,
    *,
    what: str,
    among: str,
    nothing: str,
    hint: str,
) -> None:
    """Refuse the run (exit 1, before anything is sent) when more than ``max_count``
    products, or ``max_percent`` % of the ``seen`` ones, would change."""
    allowed = min(max_count, int(seen * max_percent / 100))
    if matched > allowed:
        raise OzonctlError(
            f"{matched} products {what}, more than the safety limit of {allowed} "
            f"(--max {max_count}, --max-percent {max_percent:g} of {seen} {among}); {nothing}",
            hint=hint,
        )


def finish(
    ctx: AppContext,
    job: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    counts: dict[str, int],
    ref: str | None,
    *,
    empty: str,
    failed: str,
    errors: Iterable[str] = (),
    labels: dict[str, str] | None = None,
    schema: Schema,
) -> None:
    """The outcomes (``counts`` in the JSON envelope), an error line each for
    ``errors``, then the one summary line cron mails: ``job: matched 3, …`` with the
    journal ref; exit 3 (``failed``, with ``{n}``) when ``counts["failed"]``. A count
    is named by its key, ``_`` as a space, unless ``labels`` names it; the items are in
    ``schema``'s form."""
    ctx.output.outcomes(
        columns, rows, ref=ref, dry_run=ctx.dry_run, counts=counts, empty=empty, schema=schema
    )
    for line in errors:
        ctx.output.error(line)
    names = labels or {}
    summary = ", ".join(f"{names.get(k, k.replace('_', ' '))} {v}" for k, v in counts.items())
    prefix = f"{job} (dry run)" if ctx.dry_run else job
    print(
        f"{prefix}: {summary}" + (f" (journal {ref})" if ref else ""),
        file=ctx.output.stderr,
        flush=True,
    )
    if counts["failed"]:
        raise PartialFailure(failed.format(n=counts["failed"]))
