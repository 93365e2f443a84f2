"""rFBS delivery statuses the seller sets (``/v2/fbs/posting/delivering``, ``last-mile``,
``delivered``): Ozon's ``non_int_*`` actions of a posting its seller delivers.

The legal moves, as Ozon's status table puts them: a posting handed over
(``awaiting_deliver``) goes ``delivering`` (on its way to the buyer's city); from there the
courier takes it (``last-mile``: ``delivering`` / courier on the way); ``delivered`` makes it
conditionally delivered (``delivering`` / ``posting_conditionally_delivered``) until the
buyer confirms. FBS postings (Ozon delivers them) are refused, like a move out of order.
The error words are the sandbox's own (Ozon's documents name none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .orders import Posting
    from .shop import Shop

ON_WAY, COURIER, CONDITIONAL = (
    "posting_on_way_to_city",
    "posting_in_courier_service",
    "posting_conditionally_delivered",
)
STEPS: dict[str, tuple[frozenset[tuple[str, str]], tuple[str, str], str]] = {
    "delivering": (
        frozenset({("awaiting_deliver", "*")}),
        ("delivering", ON_WAY),
        "non_int_delivering",
    ),
    "last-mile": (
        frozenset({("delivering", ON_WAY)}),
        ("delivering", COURIER),
        "non_int_last_mile",
    ),
    "delivered": (
        frozenset({("delivering", ON_WAY), ("delivering", COURIER)}),
        ("delivering", CONDITIONAL),
        "non_int_delivered",
    ),
}


def actions(shop: Shop, p: Posting) -> list[str]:
    """The ``non_int_*`` actions Ozon lists on an rFBS posting now."""
    if not shop.is_rfbs(p.warehouse):
        return []
    return [action for before, _, action in STEPS.values() if _at(p, before)]


def move(shop: Shop, number: str, step: str) -> str:
    """Move one posting; "" when done, else its per-posting error."""
    p = shop.orders.by_number.get(number)
    if p is None or p.scheme != "fbs":
        return "POSTING_NOT_FOUND"
    if not shop.is_rfbs(p.warehouse):
        return "POSTING_IS_NOT_RFBS: Ozon delivers FBS postings; only rFBS ones take this status"
    before, (status, substatus), _ = STEPS[step]
    if not _at(p, before):
        return f"INVALID_POSTING_STATUS: {p.status}/{p.substatus}"
    shop.orders.set_status(p, status, substatus)
    return ""


def _at(p: Posting, states: frozenset[tuple[str, str]]) -> bool:
    """Whether the posting is in one of ``states`` (``*``: any substatus)."""
    return (p.status, p.substatus) in states or (p.status, "*") in states


BUYERS = (
    ("Ли Вэй", "+79161234567"),
    ("Анна Смирнова", "+79035550101"),
    ("Иван Петров", "+79267770022"),
)


def buyer(order_id: int, city: str, region: str, *, full: bool) -> dict[str, Any]:
    """``customer`` and ``addressee`` of an rFBS posting: who the seller's carrier
    delivers to, and where (Ozon gives them on rFBS postings only). The lists' (v4)
    ``addressee`` documents only ``name``; ``/v3/posting/fbs/get``'s adds ``phone``."""
    name, phone = BUYERS[order_id % len(BUYERS)]
    house, flat = order_id % 90 + 1, order_id % 200 + 1
    return {
        "customer": {
            "customer_id": 90_000_000 + order_id % 1_000_000,
            "name": name,
            "phone": phone,
            "address": {
                "address_tail": f"{city}, ул. Ленина, д. {house}, кв. {flat}",
                "city": city,
                "comment": "Позвонить за час",
                "country": "Россия",
                "district": "",
                "latitude": 55.75,
                "longitude": 37.62,
                "provider_pvz_code": "",
                "pvz_code": 0,
                "region": region,
                "zip_code": f"{100000 + order_id % 800000}",
            },
        },
        "addressee": {"name": name, "phone": phone} if full else {"name": name},
    }
