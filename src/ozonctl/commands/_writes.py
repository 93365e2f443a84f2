"""The customer-service journal: every reply, answer, message and status change is
written down before it is sent, so none goes out twice (reviews, questions, chats).

An attempt is ``sending`` while in flight, then ``done``, ``failed`` (Ozon refused: it
did not run) or ``unknown`` (a timeout or 5xx after sending). A run killed mid-request
leaves ``sending``, which counts as unknown. Before sending, ozonctl settles the open
attempts on the same item against what Ozon shows (each kind says how: a reply is there
when a comment of the seller's with the same text is under the review; an answer when
the question lists it; a message when the chat's history has it; a status change when
the item has that status). One that stays unknown blocks a new send until the user
checks (``--retry-unknown``).

``run`` sends one write; ``bulk`` sends many (``--from-file``) after one confirmation,
each through ``run``, and ends with exit 3 when any failed or stayed unknown.
``send_once`` is the step every journalled write shares (these and the order writes:
cancel, cancel-requests, rfbs-returns): send, and write down what became of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ozonctl.errors import OzonctlError, PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.errors import WriteOutcomeUnknown
    from ozonctl.state.journal import Journal, Operation

T = TypeVar("T")
OPEN = frozenset({"sending", "unknown"})


def send_once(op: Operation, send: Callable[[], T]) -> tuple[T | None, WriteOutcomeUnknown | None]:
    """``send()`` once for the journalled attempt ``op``: ``(result, None)`` and ``done``
    when Ozon answered; ``(None, lost)`` and ``unknown`` when the answer was lost (the
    caller re-reads; it never resends); ``failed`` and the error raised when Ozon (or
    ``send`` itself) refused, so nothing ran."""
    from ozonctl.client.errors import APIError, WriteOutcomeUnknown

    try:
        result = send()
    except WriteOutcomeUnknown as exc:
        op.update(status="unknown", error=exc.message)
        return None, exc
    except (APIError, OzonctlError) as exc:
        op.update(status="failed", error=str(exc))
        raise
    op.update(status="done")
    return result, None


def open_attempts(journal: Journal, kind: str, key: str, target: str) -> list[Operation]:
    return [
        op
        for op in journal.all()
        if op.header.get("kind") == kind and op.header.get(key) == target and op.status in OPEN
    ]


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
    """One write: what to journal, how to send it, how to see it landed.

    ``area`` is the journal and the noun (``review``, ``question``, ``chat``), ``target``
    the item's id; the journal keeps it under ``<area>_id``."""

    area: str
    kind: str
    target: str
    what: dict[str, Any]
    plan: str
    question: str
    done: str
    send: Callable[[], Any]
    landed: Callable[[Operation], bool]
    id_name: str = ""
    """The target's name in the journal and the outcome (default ``<area>_id``)."""
    check_with: str = ""
    """The command that shows whether it landed (default ``ozonctl <area> show ID``)."""

    @property
    def key(self) -> str:
        return self.id_name or f"{self.area}_id"

    @property
    def check(self) -> str:
        return f"`{self.check_with or f'ozonctl {self.area} show {self.target}'}`"


def run(
    ctx: AppContext, write: Write, retry_unknown: bool, *, ask: bool = True, again: bool = True
) -> dict[str, Any]:
    """Settle earlier attempts, then (unless --dry-run) confirm (when ``ask``), journal,
    send once and, when the answer is lost, look for the effect; the outcome document.
    Without ``again`` (a --from-file run), a write the journal has done with the same
    content is not sent another time (``already_done``).

    Raises ``OzonctlError`` when an earlier attempt stays unknown (without
    ``--retry-unknown``) or this one ends unknown: never sent again on its own."""
    from ozonctl.client.errors import APIError

    journal = ctx.journal(write.area)
    noun = f"{(write.id_name or write.area).split('_')[0]} {write.target}"
    doc: dict[str, Any] = {write.key: write.target, "action": write.kind, **write.what}
    if not again:
        same = [
            op
            for op in journal.all()
            if op.status == "done"
            and op.header.get("kind") == write.kind
            and op.header.get(write.key) == write.target
            and all(op.header.get(k) == v for k, v in write.what.items())
        ]
        if same:
            return {**doc, "outcome": "already_done", "journal_ref": same[-1].ref}
    earlier = open_attempts(journal, write.kind, write.key, write.target)
    if earlier:
        with ctx.lock(f"{write.area} {write.kind}"):
            settled, unknown = settle(earlier, write.landed)
            for op in settled:
                ctx.output.info(f"the earlier {write.kind} {op.ref} went through")
            if any(all(op.header.get(k) == v for k, v in write.what.items()) for op in settled):
                return {**doc, "outcome": "already_done", "journal_ref": settled[-1].ref}
            if unknown and not retry_unknown:
                raise OzonctlError(
                    f"an earlier {write.kind} of {noun} has an unknown outcome "
                    f"({unknown[-1].ref}) and Ozon does not show it yet; ozonctl will not "
                    "send another on its own",
                    hint=f"check with {write.check} in a few minutes; if it is not there, "
                    "run this again with --retry-unknown",
                )
            for op in unknown:
                op.update(status="abandoned", settled_by="--retry-unknown")
    ctx.output.info(f"plan: {write.plan}")
    if ctx.dry_run:
        ctx.output.info("dry run: nothing sent")
        return {**doc, "outcome": "dry_run"}
    if ask:
        ctx.confirm(write.question)
    with ctx.lock(f"{write.area} {write.kind}"):
        if open_attempts(journal, write.kind, write.key, write.target):
            raise OzonctlError(
                f"another ozonctl run started a {write.kind} of {noun} meanwhile; nothing sent",
                hint=f"check with {write.check}",
            )
        op = journal.new(write.kind, status="sending", **{write.key: write.target}, **write.what)
        op.record(1, "sending", {write.key: write.target, **write.what})
        doc["journal_ref"] = op.ref
        result, lost = send_once(op, write.send)
        if lost is None:
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
            ctx.output.warn(f"could not re-read {noun}: {exc}")
            break
    raise OzonctlError(
        f"the {write.kind} of {noun} may or may not have reached Ozon ({lost.message}); "
        f"ozonctl recorded it as {op.ref} and did not send it again",
        hint=f"check with {write.check} in a few minutes; running this again re-checks "
        "first and never resends on its own",
    )


def bulk(
    ctx: AppContext,
    writes: Sequence[tuple[str, Callable[[], Write]]],
    retry_unknown: bool,
    *,
    area: str,
    what: str,
    max_items: int | None,
) -> list[dict[str, Any]]:
    """Many writes from a file, as (target id, build) pairs: the cap checked, one
    confirmation for all, then each through ``run`` (journalled, sent once); the outcome
    of each, ``failed`` with its one-line reason where it did not go through. A write is
    built only when its turn comes, so an item Ozon cannot show fails alone; a missing
    subscription on the first item stops the run (exit 4) before anything is sent."""
    from ozonctl.client.errors import APIError
    from ozonctl.exitcodes import ExitCode

    if max_items is not None and len(writes) > max_items:
        raise UsageError(
            f"the file has {len(writes)} {what}, more than --max {max_items}; nothing was sent",
            hint="raise --max or split the file",
        )
    if not ctx.dry_run:
        ctx.confirm(f"Send {len(writes)} {what}? Buyers will see them")
    outcomes: list[dict[str, Any]] = []
    for target, build in writes:
        try:
            outcomes.append(run(ctx, build(), retry_unknown, ask=False, again=False))
        except (APIError, OzonctlError) as exc:
            if getattr(exc, "exit_code", None) == ExitCode.AUTH and not outcomes:
                raise
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            outcomes.append(
                {f"{area}_id": target, "action": "bulk", "outcome": "failed", "error": reason}
            )
    return outcomes


def check_bulk(outcomes: Sequence[dict[str, Any]], what: str) -> None:
    """Exit 3 (after the outcomes were printed) when any write failed or stayed unknown."""
    bad = [o for o in outcomes if o["outcome"] == "failed"]
    if bad:
        raise PartialFailure(
            f"{len(bad)} of {len(outcomes)} {what} were not sent or have an unknown outcome; "
            "none is resent on its own",
            hint="see the failed lines; running the file again skips what landed",
        )
