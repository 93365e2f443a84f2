"""What the order commands share: dates, the ``SKU:QTY`` item syntax, posting rows.

Light on purpose (no client, no pydantic at import): ``ozonctl order --help`` imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ozonctl.cli.period import now_utc
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.output import Column, Output
    from ozonctl.client.models.postings import FboPosting, Posting, PostingProduct

MAX_PERIOD = dt.timedelta(days=365)
"""Ozon's posting lists take a period of at most a year."""


def period(
    bounds: tuple[dt.datetime | None, dt.datetime | None], *, default_days: int
) -> tuple[dt.datetime, dt.datetime]:
    """The [from, to] period of a list from ``cli.period.moments`` (default: up to now,
    the last ``default_days`` days), at most the year Ozon's lists take."""
    first, last = bounds
    end = last or now_utc()
    start = first or end - dt.timedelta(days=default_days)
    if start > end:
        raise UsageError(f"--from ({start:%Y-%m-%d}) is after --to ({end:%Y-%m-%d})")
    if end - start > MAX_PERIOD:
        raise UsageError(
            "Ozon lists postings over at most one year",
            hint="narrow --from/--to, and run once per year for longer spans",
        )
    return start, end


# --- SKU:QTY item lists ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One ``SKU:QTY`` token; ``quantity`` None means "every unit of that product"."""

    key: str
    quantity: int | None


def parse_items(spec: str, option: str) -> list[ItemSpec]:
    """``123456:2,789:1`` (or ``OFFER-ID:2``; ``123456`` alone = all its units)."""
    items: list[ItemSpec] = []
    for raw in spec.split(","):
        token = raw.strip()
        if not token:
            continue
        key, sep, qty = token.rpartition(":") if ":" in token else (token, "", "")
        key = key.strip()
        if not key:
            raise UsageError(f"{option} {spec!r}: {token!r} has no SKU", hint="use SKU:QTY")
        quantity: int | None = None
        if sep:
            if not qty.strip().isdigit() or int(qty) <= 0:
                raise UsageError(
                    f"{option} {spec!r}: quantity {qty!r} of {key} is not a positive number",
                    hint="use SKU:QTY, e.g. 1234567:2",
                )
            quantity = int(qty)
        items.append(ItemSpec(key, quantity))
    if not items:
        raise UsageError(f"{option} is empty", hint="use SKU:QTY[,SKU:QTY...]")
    return items


def resolve_items(
    items: Sequence[ItemSpec], products: Sequence[PostingProduct], option: str
) -> list[tuple[int, int]]:
    """Match tokens to the posting's products (by SKU, else by offer id) as (sku, qty)."""
    by_sku = {str(p.sku): p for p in products}
    by_offer = {p.offer_id: p for p in products if p.offer_id}
    out: dict[int, int] = {}
    for item in items:
        product = by_sku.get(item.key) or by_offer.get(item.key)
        if product is None:
            have = ", ".join(f"{p.sku} ({p.offer_id})" for p in products) or "none"
            raise UsageError(f"{option}: {item.key} is not in this posting (it has {have})")
        qty = product.quantity if item.quantity is None else item.quantity
        out[product.sku] = out.get(product.sku, 0) + qty
    return list(out.items())


def items_text(items: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"{sku}:{qty}" for sku, qty in items)


# --- posting rows ---------------------------------------------------------------------------


def human_products(value: Any) -> str:
    """A terminal cell: ``offer ×2, other ×1``."""
    if not value:
        return ""
    return ", ".join(f"{p.offer_id or p.sku} ×{p.quantity}" for p in value)


def posting_columns(extra: Sequence[Column] = ()) -> list[Column]:
    from ozonctl.cli.output import Column

    return [
        Column("posting_number", "Posting"),
        Column("status", "Status"),
        Column("created", "Created"),
        Column("ship_by", "Ship by"),
        *extra,
        Column("products", "Products", max_width=48, fmt=human_products),
        Column("warehouse", "Warehouse", max_width=24),
    ]


def posting_row(p: Posting | FboPosting, scheme: str) -> dict[str, Any]:
    """A posting as the ``posting`` schema names it (``cli/schemas.py``), the same in
    ``order list``, ``order show`` and ``order at-risk``: what Ozon's answer does not
    carry is None."""
    delivery = getattr(p, "delivery_method", None)
    related = getattr(p, "related_postings", None)
    cancel = p.cancellation
    cancel_id = getattr(p, "cancel_reason_id", 0) or (cancel.cancel_reason_id if cancel else 0)
    analytics = getattr(p, "analytics_data", None)
    customer = getattr(p, "customer", None)
    to = getattr(p, "addressee", None) or customer
    address = customer.address if customer else None
    return {
        "posting_number": p.posting_number,
        "order_id": p.order_id or None,
        "order_number": p.order_number,
        "scheme": scheme,
        "status": p.status,
        "substatus": p.substatus,
        "created": p.in_process_at or getattr(p, "created_at", None),
        "ship_by": getattr(p, "shipment_date", None),
        "delivering_date": getattr(p, "delivering_date", None),
        "warehouse_id": (
            delivery.warehouse_id if delivery else analytics.warehouse_id if analytics else None
        )
        or None,
        "warehouse": p.warehouse,
        "delivery_method": delivery.name if delivery else None,
        "tracking_number": getattr(p, "tracking_number", None),
        "parent_posting_number": getattr(p, "parent_posting_number", None),
        "related_postings": related.related_posting_numbers if related else None,
        "cancel_reason_id": cancel_id or None,
        "cancel_reason": cancel.cancel_reason if cancel and cancel_id else None,
        "cancelled_by": cancel.cancellation_initiator if cancel and cancel_id else None,
        "affects_rating": cancel.affect_cancellation_rating if cancel and cancel_id else None,
        "buyer": (to.name if to else "") or None,
        "buyer_phone": (to.phone if to else "") or (customer.phone if customer else "") or None,
        "address": (address.address_tail if address else "") or None,
        "address_comment": (address.comment if address else "") or None,
        "products": p.products,  # SKU:QTY in a pipe; the schema's keys in JSON
    }


def document_rows(
    output: Output,
    doc: dict[str, Any],
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    *,
    empty: str = "",
) -> None:
    """One result: the whole ``doc`` with --json, else ``rows`` as a table or TSV."""

    def human() -> None:
        output.rows(columns, rows, empty=empty)

    output.document(doc, human=human)


def outcome_row(output: Output, doc: dict[str, Any], keys: Sequence[str]) -> None:
    """A write's outcome: the whole ``doc`` with --json, else one row of its ``keys``
    (each column titled after its key)."""
    from ozonctl.cli.output import Column

    columns = [Column(k, k.replace("_", " ").capitalize()) for k in keys]
    document_rows(output, doc, columns, [{k: doc.get(k) for k in keys}])
