"""Buyers' return requests of rFBS postings (``/v2/returns/rfbs/*``) and their states.

Ozon's documents name only some action ids (``-1``/``-10`` reject and need a
``rejection_reason_id`` and a ``comment``; ``1020`` compensates part and needs
``compensation_amount``); the others come from ``available_actions`` of
``/v2/returns/rfbs/get``, as a client must read them. The sandbox's ids for those are its
own. A request moves::

    ON_APPROVAL --approve(1)--> WAITING_FOR_PRODUCT --receive(2)--> PRODUCT_RECEIVED
    ON_APPROVAL --reject(-1)--> REJECTED          PRODUCT_RECEIVED --refund(3)--> MONEY_RETURNED
    ON_APPROVAL / PRODUCT_RECEIVED --compensate(1020)--> COMPENSATED
    PRODUCT_RECEIVED --reject(-10)--> REJECTED
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import bad_request, not_found
from .orders import DAY
from .values import iso

if TYPE_CHECKING:
    from .shop import Shop

STATES = {
    "ON_APPROVAL": ("New", "На проверке"),
    "WAITING_FOR_PRODUCT": ("Approved", "Ожидает получения товара"),
    "PRODUCT_RECEIVED": ("Received", "Товар получен"),
    "MONEY_RETURNED": ("Completed", "Деньги возвращены"),
    "COMPENSATED": ("Completed", "Компенсация выплачена"),
    "REJECTED": ("Rejected", "Отклонена"),
}
ACTIONS: dict[int, tuple[str, str, tuple[str, ...]]] = {
    1: ("Одобрить заявку", "WAITING_FOR_PRODUCT", ("ON_APPROVAL",)),
    -1: ("Отклонить заявку", "REJECTED", ("ON_APPROVAL",)),
    2: ("Товар получен", "PRODUCT_RECEIVED", ("WAITING_FOR_PRODUCT",)),
    -10: ("Отклонить после получения товара", "REJECTED", ("PRODUCT_RECEIVED",)),
    3: ("Вернуть деньги", "MONEY_RETURNED", ("PRODUCT_RECEIVED",)),
    1020: ("Частичная компенсация", "COMPENSATED", ("ON_APPROVAL", "PRODUCT_RECEIVED")),
}
"""id -> (name, next state, states it is available in)."""
REJECTION_REASONS = (
    (11, "Товар без следов использования не принят", True),
    (12, "Срок возврата истёк", False),
)
START = ("ON_APPROVAL", "ON_APPROVAL", "ON_APPROVAL", "WAITING_FOR_PRODUCT", "PRODUCT_RECEIVED")


@dataclass(slots=True)
class RfbsReturn:
    id: int
    posting: str
    order_number: str
    sku: int
    offer_id: str
    name: str
    price: int
    """Whole roubles, as Ozon's ``product.price`` (int32)."""
    created: float
    state: str
    comment: str = ""
    rejection_comment: str = ""
    compensation: float = 0.0
    warehouse_id: int = 0
    """The rFBS warehouse the posting shipped from (the return comes back there)."""

    def state_obj(self, group: bool) -> dict[str, Any]:
        out = {"state": self.state, "state_name": STATES[self.state][1]}
        if group:
            out["group_state"] = STATES[self.state][0]
            out["money_return_state_name"] = ""
        return out

    def render(self, full: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "return_number": f"RET-{self.id}",
            "posting_number": self.posting,
            "order_number": self.order_number,
            "created_at": iso(self.created),
            "product": {
                "sku": self.sku,
                "offer_id": self.offer_id,
                "name": self.name,
                "price": self.price,
                "currency_code": "RUB",
            },
            "state": self.state_obj(not full),
        }
        if not full:  # the get method's answer has no return_id (Ozon's documents)
            out["return_id"] = self.id
        else:
            out.update(
                available_actions=[
                    {"id": k, "name": a[0]} for k, a in ACTIONS.items() if self.state in a[2]
                ],
                rejection_reason=[
                    {"id": i, "name": n, "hint": "", "is_comment_required": c}
                    for i, n, c in REJECTION_REASONS
                ],
                comment="Не подошёл размер",
                rejection_comment=self.rejection_comment,
                return_reason={"id": 5, "name": "Не подошёл размер", "is_defect": False},
                client_return_method_type={"id": 1, "name": "Почта России"},
                return_method_description="",
                ru_post_tracking_number="",
                client_photo=[],
                warehouse_id=self.warehouse_id,
            )
        return out


class RfbsReturns:
    """The shop's rFBS return requests, made from delivered postings on first use."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self._all: dict[int, RfbsReturn] | None = None

    def all(self) -> list[RfbsReturn]:
        if self._all is None:
            self._all = self._generate()
        return list(self._all.values())

    def _generate(self) -> dict[int, RfbsReturn]:
        cat = self.shop.catalog
        shop = self.shop
        delivered = [
            p
            for p in shop.orders.fbs
            if p.status == "delivered" and p.lines and shop.is_rfbs(p.warehouse)
        ]
        out: dict[int, RfbsReturn] = {}
        for k, p in enumerate(delivered[-len(START) :]):
            line = p.lines[0]
            rid = 88_000_001 + k
            created = (p.delivered_at or p.in_process_at) + DAY
            out[rid] = RfbsReturn(
                rid,
                p.number,
                p.order_number,
                line.sku,
                cat.offer_id(line.index),
                cat.name(line.index),
                line.price // 100,
                created,
                START[k],
                warehouse_id=shop.warehouses[p.warehouse].id,
            )
        return out

    def get(self, rid: int) -> RfbsReturn:
        found = {r.id: r for r in self.all()}.get(rid)
        if found is None:
            raise not_found(f"return {rid} not found")
        return found

    def act(self, rid: int, action: int, body: dict[str, Any]) -> None:
        r = self.get(rid)
        spec = ACTIONS.get(action)
        if spec is None or r.state not in spec[2]:
            raise bad_request(f"action {action} is not available for return {rid} in {r.state}")
        if action in (-1, -10):
            reason = body.get("rejection_reason_id")
            if reason not in {i for i, _, _ in REJECTION_REASONS}:
                raise bad_request("rejection_reason_id is required for this action")
            if not str(body.get("comment") or "").strip():
                raise bad_request("comment is required for this action")
            r.rejection_comment = str(body["comment"])
        if action == 1020:
            amount = body.get("compensation_amount")
            if not isinstance(amount, int | float) or amount <= 0 or amount > r.price:
                raise bad_request("compensation_amount must be above 0 and at most the price")
            r.compensation = float(amount)
        r.state = spec[1]
        self.shop.bump()
