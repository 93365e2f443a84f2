"""The review journal: every reply and status change is written down before it is sent,
so none goes out twice.

An attempt is ``sending`` while in flight, then ``done``, ``failed`` (Ozon refused: it
did not run) or ``unknown`` (a timeout or 5xx after sending). A run killed mid-request
leaves ``sending``, which counts as unknown. Before sending, ozonctl settles the open
attempts on the same review against what Ozon shows: a reply is there when a comment of
the seller's with the same text is under the review (Ozon lists comments that passed its
moderation, so a fresh reply may show only later); a status change when the review has
that status. One that stays unknown blocks a new send until the user checks
(``--retry-unknown``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.state.journal import Journal, Operation

OPEN = frozenset({"sending", "unknown"})


def open_attempts(journal: Journal, kind: str, review_id: str) -> list[Operation]:
    return [
        op
        for op in journal.all()
        if op.header.get("kind") == kind
        and op.header.get("review_id") == review_id
        and op.status in OPEN
    ]


def begin(journal: Journal, kind: str, review_id: str, **what: Any) -> Operation:
    """Write the attempt down (status ``sending``) before the request goes out."""
    op = journal.new(kind, status="sending", review_id=review_id, **what)
    op.record(1, "sending", {"review_id": review_id, **what})
    return op


def settle(
    attempts: list[Operation], landed: Callable[[Operation], bool]
) -> tuple[list[Operation], list[Operation]]:
    """Mark attempts whose effect Ozon shows as done; return (settled, still unknown)."""
    settled: list[Operation] = []
    unknown: list[Operation] = []
    for op in attempts:
        if landed(op):
            op.update(status="done", settled_by="re-read")
            settled.append(op)
        else:
            unknown.append(op)
    return settled, unknown


RE_READS = 5
RE_READ_WAIT_S = 1.0
"""After a lost answer, Ozon is re-read up to 5 times a second apart for the write's
effect (a timed-out request may still land a moment later)."""


@dataclass(frozen=True, slots=True)
class Write:
    """One review write: what to journal, how to send it, how to see it landed."""

    kind: str
    review_id: str
    what: dict[str, Any]
    plan: str
    question: str
    done: str
    send: Callable[[], Any]
    landed: Callable[[Operation], bool]


def run(ctx: AppContext, write: Write, retry_unknown: bool) -> dict[str, Any]:
    """Settle earlier attempts, then (unless --dry-run) confirm, journal, send once and,
    when the answer is lost, look for the effect; the outcome document.

    Raises ``OzonctlError`` when an earlier attempt stays unknown (without
    ``--retry-unknown``) or this one ends unknown: never sent again on its own."""
    from ozonctl.client.errors import APIError, WriteOutcomeUnknown

    journal = ctx.journal("review")
    doc: dict[str, Any] = {"review_id": write.review_id, "action": write.kind, **write.what}
    earlier = open_attempts(journal, write.kind, write.review_id)
    if earlier:
        with ctx.lock(f"review {write.kind}"):
            settled, unknown = settle(earlier, write.landed)
            for op in settled:
                ctx.output.info(f"the earlier {write.kind} {op.ref} went through")
            if any(all(op.header.get(k) == v for k, v in write.what.items()) for op in settled):
                return {**doc, "outcome": "already_done", "journal_ref": settled[-1].ref}
            if unknown and not retry_unknown:
                raise OzonctlError(
                    f"an earlier {write.kind} of review {write.review_id} has an unknown "
                    f"outcome ({unknown[-1].ref}) and Ozon does not show it yet; ozonctl "
                    "will not send another on its own",
                    hint=f"check with `ozonctl review show {write.review_id}` in a few minutes; "
                    "if it is not there, run this again with --retry-unknown",
                )
            for op in unknown:
                op.update(status="abandoned", settled_by="--retry-unknown")
    ctx.output.info(f"plan: {write.plan}")
    if ctx.dry_run:
        ctx.output.info("dry run: nothing sent")
        return {**doc, "outcome": "dry_run"}
    ctx.confirm(write.question)
    lost: WriteOutcomeUnknown | None = None
    with ctx.lock(f"review {write.kind}"):
        if open_attempts(journal, write.kind, write.review_id):
            raise OzonctlError(
                f"another ozonctl run started a {write.kind} of review {write.review_id} "
                "meanwhile; nothing sent",
                hint=f"check with `ozonctl review show {write.review_id}`",
            )
        op = begin(journal, write.kind, write.review_id, **write.what)
        doc["journal_ref"] = op.ref
        try:
            result = write.send()
        except WriteOutcomeUnknown as exc:
            op.update(status="unknown", error=exc.message)
            lost = exc
        except (APIError, OzonctlError) as exc:
            op.update(status="failed", error=str(exc))
            raise
        else:
            op.update(status="done")
            return {**doc, "outcome": write.done, "result": result}
    for attempt in range(RE_READS):
        if attempt:
            time.sleep(RE_READ_WAIT_S)
        try:
            if write.landed(op):
                op.update(status="done", settled_by="re-read")
                ctx.output.warn("Ozon's answer was lost, but a re-read shows it landed")
                return {**doc, "outcome": write.done}
        except APIError as exc:
            ctx.output.warn(f"could not re-read review {write.review_id}: {exc}")
            break
    raise OzonctlError(
        f"the {write.kind} of review {write.review_id} may or may not have reached Ozon "
        f"({lost.message}); ozonctl recorded it as {op.ref} and did not send it again",
        hint=f"check with `ozonctl review show {write.review_id}` in a few minutes; running "
        "this again re-checks first and never resends on its own",
    )
