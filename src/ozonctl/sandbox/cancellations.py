"""Buyers' cancellation requests of rFBS postings (``/v2/conditional-cancellation/*``).

A few open postings get a request from their buyer, ``ON_APPROVAL`` until the seller
approves (the posting is cancelled with the buyer's reason: not the seller's fault) or
rejects it, or until its ``auto_approve_date`` passes: then Ozon approves it itself, as
its documents say. One request is already approved and one rejected, so every state shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import bad_request, not_found
from .orders import CANCELLABLE, DAY, HOUR
from .values import iso

if TYPE_CHECKING:
    from .shop import Shop

WAITING, APPROVED, REJECTED = "ON_APPROVAL", "APPROVED", "REJECTED"
STATE_IDS = {WAITING: 1, APPROVED: 2, REJECTED: 3}
STATE_NAMES = {WAITING: "На согласовании", APPROVED: "Согласована", REJECTED: "Отклонена"}
REASON = (501, "Покупатель передумал")
COUNT = 6


@dataclass(slots=True)
class Request:
    id: int
    posting: str
    created: float
    deadline: float
    state: str = WAITING
    comment: str = ""
    decided: float | None = None

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cancellation_id": self.id,
            "posting_number": self.posting,
            "state": {
                "id": STATE_IDS[self.state],
                "name": STATE_NAMES[self.state],
                "state": self.state,
            },
            "cancellation_initiator": "CLIENT",
            "cancellation_reason": {"id": REASON[0], "name": REASON[1]},
            "cancellation_reason_message": "Передумал, нашёл дешевле",
            "approve_comment": self.comment,
            "auto_approve_date": iso(self.deadline),
            "cancelled_at": iso(self.created),
            "order_date": iso(self.created - DAY),
            "source_id": self.id,
            "tpl_integration_type": "NON_INTEGRATED",
        }
        if self.decided is not None:
            out["approve_date"] = iso(self.decided)
        return out


class CancelRequests:
    """The requests of one shop, made from its open postings on first use."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self._all: dict[int, Request] | None = None

    def all(self) -> list[Request]:
        """Every request, oldest first; a waiting one past its deadline is approved."""
        if self._all is None:
            self._all = self._generate()
        now = self.shop.now.timestamp()
        for r in self._all.values():
            if r.state == WAITING and r.deadline <= now:
                self._decide(r, APPROVED, "", r.deadline)
        return list(self._all.values())

    def _generate(self) -> dict[int, Request]:
        now = self.shop.now.timestamp()
        shop = self.shop
        rfbs = [p for p in shop.orders.fbs if not p.parent and shop.is_rfbs(p.warehouse)]
        open_ = [p for p in rfbs if p.status in CANCELLABLE]
        chosen = open_[:: max(1, len(open_) // COUNT)][:COUNT]
        out: dict[int, Request] = {}
        for k, p in enumerate(chosen):
            rid = 77_000_001 + k
            # deadlines from 3 h to 43 h ahead: some are urgent
            out[rid] = Request(rid, p.number, now - (k + 1) * HOUR, now + (3 + 8 * k) * HOUR)
        if len(out) >= 3:
            last = out[max(out)]
            last.state, last.comment, last.decided = REJECTED, "Заказ уже передан в доставку", now
        # an approved one: a posting the buyer's cancellation already cancelled
        done = next((p for p in rfbs if p.cancellation and p.cancellation.reason.id == 501), None)
        if done is not None:
            rid = 77_000_001 + len(out)
            r = Request(rid, done.number, now - 2 * DAY, now - DAY, APPROVED, "", now - 2 * DAY)
            out[rid] = r
        return out

    def _decide(self, r: Request, state: str, comment: str, when: float) -> None:
        r.state, r.comment, r.decided = state, comment, when
        if state == APPROVED:
            self.shop.orders.cancel_for_buyer(r.posting)
        self.shop.bump()

    def decide(self, rid: int, approve: bool, comment: str) -> None:
        found = {r.id: r for r in self.all()}.get(rid)
        if found is None:
            raise not_found(f"cancellation {rid} not found")
        if found.state != WAITING:
            raise bad_request(f"cancellation {rid} is {found.state}, not {WAITING}")
        state = APPROVED if approve else REJECTED
        self._decide(found, state, comment, self.shop.now.timestamp())
