"""Return giveouts (``/v1/return/giveout/*``): the FBS and FBO returns waiting at Ozon's
warehouses, handed to the seller by one barcode.

Made from the shop's returns (``/v1/returns/list``) on first use: the returns of the last
``DAYS`` days, grouped by the warehouse they come back to (rFBS ones do not: the buyer sends
those to the seller), at most ``ARTICLES`` a giveout. The newest giveout of a warehouse is
``CREATED`` (nothing approved yet), the one before ``APPROVED``, older ones ``COMPLETED``.
One barcode serves the seller's every giveout, as Ozon's documents describe it.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import not_found
from .orders import DAY, Return
from .pdf import pages_pdf
from .values import iso, mix

if TYPE_CHECKING:
    from .shop import Shop

DAYS = 60
ARTICLES = 3
CREATED, APPROVED, COMPLETED = (
    "GIVEOUT_STATUS_CREATED",
    "GIVEOUT_STATUS_APPROVED",
    "GIVEOUT_STATUS_COMPLETED",
)


@dataclass(slots=True)
class Giveout:
    id: int
    warehouse_id: int
    warehouse_name: str
    address: str
    status: str
    returns: list[Return]

    @property
    def created(self) -> float:
        return max(r.returned_at for r in self.returns)

    @property
    def approved(self) -> int:
        return 0 if self.status == CREATED else len(self.returns)

    def render(self) -> dict[str, Any]:
        return {
            "giveout_id": self.id,
            "giveout_status": self.status,
            "created_at": iso(self.created),
            "warehouse_id": self.warehouse_id,
            "warehouse_name": self.warehouse_name,
            "warehouse_address": self.address,
            "approved_articles_count": self.approved,
            "total_articles_count": len(self.returns),
        }

    def info(self, shop: Shop) -> dict[str, Any]:
        cat = shop.catalog
        return {
            "giveout_id": self.id,
            "giveout_status": self.status,
            "warehouse_name": self.warehouse_name,
            "warehouse_address": self.address,
            "articles": [
                {
                    "approved": self.status != CREATED,
                    "delivery_schema": f"GIVEOUT_DELIVERY_SCHEMA_{r.posting.scheme.upper()}",
                    "name": cat.name(r.line.index),
                    "seller_id": 1_234_567,
                }
                for r in self.returns
            ],
        }


class Giveouts:
    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self._all: list[Giveout] | None = None

    def all(self) -> list[Giveout]:
        """Every giveout, by id."""
        if self._all is None:
            self._all = self._generate()
        return self._all

    def _generate(self) -> list[Giveout]:
        shop = self.shop
        since = shop.now.timestamp() - DAYS * DAY
        groups: dict[int, list[Return]] = {}
        for r in shop.orders.returns:
            p = r.posting
            if r.returned_at < since or shop.is_rfbs(p.warehouse):
                continue
            groups.setdefault(p.warehouse if p.scheme == "fbs" else 0, []).append(r)
        made: list[tuple[int, list[Return], str]] = []
        for k, found in sorted(groups.items()):
            found.sort(key=lambda r: r.returned_at)
            chunks = [found[i : i + ARTICLES] for i in range(0, len(found), ARTICLES)]
            for n, chunk in enumerate(chunks):
                age = len(chunks) - 1 - n
                status = CREATED if age == 0 else APPROVED if age == 1 else COMPLETED
                made.append((k, chunk, status))
        out: list[Giveout] = []
        for gid, (k, chunk, status) in enumerate(made, start=61_000_001):
            w = shop.warehouses[k]
            name, address = f"Ozon возвраты, {w.city}", f"{w.city}, ул. Возвратная, 2"
            out.append(Giveout(gid, 15_500_000_000_000 + k, name, address, status, chunk))
        return out

    def get(self, giveout_id: int) -> Giveout:
        found = next((g for g in self.all() if g.id == giveout_id), None)
        if found is None:
            raise not_found(f"giveout {giveout_id} not found")
        return found

    def barcode(self) -> str:
        return f"GV{mix(self.shop.seed, 61) % 10**12:012d}"

    def pdf(self) -> dict[str, str]:
        content = pages_pdf([["Ozon giveout", self.barcode()]])
        return _file(content, "giveout-barcode.pdf", "application/pdf")

    def png(self) -> dict[str, str]:
        return _file(_barcode_png(self.barcode()), "giveout-barcode.png", "image/png")


def _file(content: bytes, name: str, ctype: str) -> dict[str, str]:
    """Ozon's file answer: the file in Base64, its name and type."""
    encoded = base64.b64encode(content).decode()
    return {"file_content": encoded, "file_name": name, "content_type": ctype}


def _barcode_png(code: str) -> bytes:
    """A small black-and-white PNG of bars drawn from ``code`` (not a scannable code)."""
    bits = "".join(f"{b:08b}" for b in code.encode())
    width, height = len(bits) * 2, 40
    row = bytes(0 if bit == "1" else 255 for bit in bits for _ in range(2))
    raw = b"".join(b"\x00" + row for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
