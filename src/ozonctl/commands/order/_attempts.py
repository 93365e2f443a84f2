"""The cancel journal: every cancel attempt is written down before it is sent, so a cancel
never goes out twice.

An attempt is ``sending`` while in flight, then ``done``, ``failed`` (Ozon refused: it
did not run) or ``unknown`` (a timeout or 5xx after sending). A run killed mid-request
leaves ``sending``, which counts as unknown. Before sending, ozonctl looks for unknown
attempts on the same posting, re-reads the posting, settles the ones whose effect it can
see, and refuses to send while one stays unknown (``--retry-unknown`` overrides it after
the user has checked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client.models.postings import Posting
    from ozonctl.state.journal import Journal, Operation

KIND = "cancel"
OPEN = frozenset({"sending", "unknown"})


def open_attempts(journal: Journal, posting: str) -> list[Operation]:
    return [
        op
        for op in journal.all()
        if op.header.get("kind") == KIND
        and op.header.get("posting") == posting
        and op.status in OPEN
    ]


def begin(
    journal: Journal,
    posting: Posting,
    reason_id: int,
    message: str,
    items: Sequence[tuple[int, int]],
) -> Operation:
    """Write the attempt down (status ``sending``) before the request goes out."""
    op = journal.new(
        KIND,
        status="sending",
        posting=posting.posting_number,
        reason_id=reason_id,
        message=message,
        items=[[sku, qty] for sku, qty in items],
        status_before=posting.status,
        quantities_before=[[p.sku, p.quantity] for p in posting.products],
    )
    op.record(1, "sending", {"posting": posting.posting_number, "reason_id": reason_id})
    return op


def applied(op: Operation, now: Posting) -> bool:
    """Whether the posting as read now shows the attempt's effect."""
    if now.status == "cancelled":
        return True
    items = op.header.get("items") or []
    if not items:
        return False
    before = {int(sku): int(qty) for sku, qty in op.header.get("quantities_before") or []}
    current: dict[int, int] = {}
    for p in now.products:
        current[p.sku] = current.get(p.sku, 0) + p.quantity
    return all(current.get(int(sku), 0) <= before.get(int(sku), 0) - int(qty) for sku, qty in items)


def settle(attempts: Sequence[Operation], now: Posting) -> tuple[list[Operation], list[Operation]]:
    """Mark attempts whose effect shows as done; return (settled, still unknown)."""
    settled: list[Operation] = []
    unknown: list[Operation] = []
    for op in attempts:
        if applied(op, now):
            op.update(status="done", settled_by="re-read", status_after=now.status)
            settled.append(op)
        else:
            unknown.append(op)
    return settled, unknown


def describe(op: Operation) -> str:
    return (
        f"{op.ref} (sent {op.header.get('created', '?')}, reason {op.header.get('reason_id')}"
        + (f", items {_items(op.header.get('items'))}" if op.header.get("items") else "")
        + ")"
    )


def _items(items: Any) -> str:
    return ",".join(f"{sku}:{qty}" for sku, qty in items or [])
