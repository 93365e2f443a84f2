"""The seller's own promotions (``/v1/seller-actions/*``): their settings and the rules of
each mechanic as Ozon's document gives them.

What the document says and the sandbox enforces: the fields each create and update
method requires (checked against the document by the request validator when it is at
hand, and here for the rules it cannot express), 2 to 4 discount levels, at most 50
users of a voucher, a voucher's budget changed only while the promotion is off
(``change-activity`` first), products added by hand only where the mechanic takes them
(a multi-level discount adds them by itself), at most 100 products a request.

``products/add`` and ``products/delete`` answer an empty body: no outcome per product.
The sandbox applies what it can and skips the rest silently (a SKU that is not the
shop's, an archived product, a ``DISCOUNT`` below the promotion's minimum percent), so a
client learns what was applied only by reading the promotion back, as with Ozon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .catalog import ARCHIVED, DELETED, NO_SKU, Catalog
from .errors import bad_request

CREATE_TYPES = {
    "discount": "DISCOUNT",
    "discount-with-condition": "DISCOUNT_WITH_CONDITION",
    "multi-level-discount": "MULTI_LEVEL_DISCOUNT_ON_AMOUNT",
    "voucher": "VOUCHER_DISCOUNT",
    "installment": "INSTALLMENT",
}
"""The last part of a create/update path → the mechanic's ``type`` in the list."""

AUTO_ADDED = "MULTI_LEVEL_DISCOUNT_ON_AMOUNT"
"""The mechanic whose products Ozon adds by itself (``products/add`` is not for it)."""

MAX_USERS = 50
INSTALLMENT_MONTHS = 6


@dataclass(slots=True)
class SellerAction:
    id: int
    title: str
    action_type: str
    status: str
    is_turn_on: bool
    date_start: datetime
    date_end: datetime | None
    discount_pct: int
    """The promotion's percent off (``discount_value`` of a ``PERCENT`` promotion; for a
    ``DISCOUNT`` each product's own percent, this being the default)."""
    products: list[int] = field(default_factory=list)
    """Catalogue indexes, in the order they joined."""
    percents: dict[int, Decimal] = field(default_factory=dict)
    """``DISCOUNT``: each product's percent as added."""
    discount_type: str = "PERCENT"
    discount_value: Decimal = Decimal(0)
    min_action_percent: Decimal = Decimal(0)
    min_order_amount: Decimal = Decimal(0)
    levels: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    """(order amount, discount value) of a multi-level discount."""
    legal_entities: bool = False
    budget: int = 0
    budget_spent: int = 0
    voucher: tuple[int, bool, str] | None = None
    """(count of codes, is private, type) of a voucher promotion."""
    user_ids: list[str] = field(default_factory=list)
    archived: bool = False

    @property
    def editable(self) -> bool:
        return not self.archived and self.status != "ENDED"

    def percent_of(self, i: int) -> Decimal:
        """The percent off product ``i`` gets (0 where the discount is not a percent)."""
        if self.action_type == "DISCOUNT":
            return self.percents.get(i, Decimal(self.discount_pct))
        if self.discount_type == "PERCENT" and self.action_type != "INSTALLMENT":
            return self.discount_value if self.discount_value else Decimal(self.discount_pct)
        return Decimal(0)

    def eligible(self, cat: Catalog, i: int) -> bool:
        """Whether product ``i`` may be in a promotion (has a SKU, not archived)."""
        return cat.exists(i) and not cat.flags[i] & (ARCHIVED | NO_SKU | DELETED)

    def add(self, cat: Catalog, i: int, percent: Decimal | None) -> bool:
        """Add (or re-price) product ``i``; False, silently, when Ozon would not."""
        if not self.eligible(cat, i):
            return False
        if self.action_type == "DISCOUNT":
            pct = percent if percent is not None else self.min_action_percent
            if pct <= 0 or pct < self.min_action_percent or pct >= 100:
                return False
            self.percents[i] = pct
        if i not in self.products:
            self.products.append(i)
        return True

    def remove(self, i: int) -> bool:
        self.percents.pop(i, None)
        if i in self.products:
            self.products.remove(i)
            return True
        return False


# --- the rules of each mechanic ------------------------------------------------------------------


def check_dates(start: datetime | None, end: datetime | None, now: datetime) -> None:
    if start is not None and end is not None and end <= start:
        raise bad_request("date_end must be after date_start")
    if end is not None and end <= now:
        raise bad_request("date_end must be in the future")


def check_percent(kind: str, value: Decimal, what: str) -> None:
    if value <= 0:
        raise bad_request(f"{what} must be greater than 0")
    if kind == "PERCENT" and value >= 100:
        raise bad_request(f"{what} must be less than 100 for discount_type PERCENT")


def check_levels(kind: str, levels: list[tuple[Decimal, Decimal]]) -> None:
    if not 2 <= len(levels) <= 4:
        raise bad_request("discount_levels must have 2 to 4 levels")
    amounts = [a for a, _ in levels]
    if amounts != sorted(set(amounts)):
        raise bad_request("discount_levels: order_amount must grow from level to level")
    for amount, value in levels:
        if amount <= 0:
            raise bad_request("discount_levels: order_amount must be greater than 0")
        check_percent(kind, value, "discount_levels: discount_value")


def check_users(users: list[str]) -> None:
    if len(users) > MAX_USERS:
        raise bad_request(f"user_ids: at most {MAX_USERS} users")


def other_mechanics(cat: Catalog, now: datetime) -> list[SellerAction]:
    """One planned promotion of each mechanic the generated shop has none of (a discount
    from an order amount, a multi-level discount with its products added by itself, an
    installment), so every update method has a promotion to change."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=3)
    end = start + timedelta(days=14)
    conditional = SellerAction(
        5004,
        "Скидка 300 ₽ от 3000 ₽",
        "DISCOUNT_WITH_CONDITION",
        "PLANNED",
        True,
        start,
        end,
        0,
        discount_type="CURRENCY",
        discount_value=Decimal(300),
        min_order_amount=Decimal(3000),
    )
    multilevel = SellerAction(
        5005,
        "Больше сумма — больше скидка",
        "MULTI_LEVEL_DISCOUNT_ON_AMOUNT",
        "PLANNED",
        True,
        start,
        end,
        5,
        levels=[(Decimal(2000), Decimal(5)), (Decimal(5000), Decimal(10))],
    )
    installment = SellerAction(
        5006,
        "Рассрочка без переплаты",
        "INSTALLMENT",
        "PLANNED",
        True,
        start,
        start + timedelta(days=30 * INSTALLMENT_MONTHS),
        0,
    )
    for i in range(min(cat.n, 400)):
        if len(multilevel.products) < 20:
            multilevel.add(cat, i, None)
    return [conditional, multilevel, installment]
