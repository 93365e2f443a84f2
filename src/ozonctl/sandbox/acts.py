"""FBS acceptance acts (carriages): confirming a shipment puts every posting of that
delivery method that waits for the courier (``awaiting_deliver``) into one act; the act's
documents are ready from the second status check on (Ozon forms them a while).

An act keeps the postings it was made with: a posting shipped after the act is not in it
(it goes with the next carriage), and one cancelled since stays listed with its status
now. That is what ``order act check`` compares against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import bad_request, not_found

if TYPE_CHECKING:
    from .shop import Shop

METHOD_BASE = 1_020_000_000_000
"""Delivery method ids are this plus the warehouse's index (``handlers.postings``)."""


@dataclass(slots=True)
class Act:
    id: int
    method_id: int
    warehouse: int
    departure_date: str
    created_at: float
    postings: list[str]
    checks: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.checks >= 2


class Acts:
    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.by_id: dict[int, Act] = {}
        self._next = 40_000_001

    def waiting(self, warehouse: int) -> list[str]:
        """Postings of this warehouse's delivery method waiting for the courier."""
        return [
            p.number
            for p in self.shop.orders.fbs
            if p.status == "awaiting_deliver" and p.warehouse == warehouse
        ]

    def create(self, method_id: int, departure_date: str) -> Act:
        warehouse = method_id - METHOD_BASE
        if not 0 <= warehouse < len(self.shop.warehouses):
            raise bad_request(f"DELIVERY_METHOD_NOT_FOUND: {method_id}")
        postings = self.waiting(warehouse)
        if not postings:
            raise bad_request("POSTINGS_NOT_FOUND: no posting awaits delivery by this method")
        now = self.shop.now.timestamp()
        act = Act(self._next, method_id, warehouse, departure_date, now, postings)
        self._next += 1
        self.by_id[act.id] = act
        return act

    def get(self, act_id: int) -> Act:
        act = self.by_id.get(act_id)
        if act is None:
            raise not_found(f"act {act_id} not found")
        return act
