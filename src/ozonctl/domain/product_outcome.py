"""What became of one product in a listing write (archive, unarchive, price, stock):
the result word the output and the journal show, and a note saying why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry


@dataclass(slots=True)
class Outcome:
    """What happened to one product in a write."""

    entry: CatalogEntry
    result: str
    """``archived``, ``unarchived``, ``updated``, ``unchanged``, ``skipped``, ``unknown``
    (no answer, not seen applied since), ``failed`` or ``not_found`` (the token named no
    product; ``entry`` has product id 0 and the token as its offer id)."""
    note: str = ""
    extra: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.result == "failed"

    def row(self) -> dict[str, Any]:
        e = self.entry
        return {
            "offer_id": e.offer_id,
            "product_id": e.product_id or None,
            "sku": e.sku or None,
            "result": self.result,
            "note": self.note,
            **(self.extra or {}),
        }
