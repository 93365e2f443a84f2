"""Products as pre-encoded JSON: the items of ``/v3/product/info/list`` and
``/v3/product/list``, rendered once per product and reused until the product changes.

A full listing of 100,000 products asks for every card once; building each as a dict
(``Decimal`` arithmetic, date formatting) and ``json.dumps``-ing it cost the sandbox
~15 s of CPU. Here a card is assembled from table entries (the runs of JSON that take
few values: category, flags, status, weight) and f-strings of integer arithmetic; the
traits ``Catalog`` derives from ``hash32`` are worked out for a block of products at a
time (``values.hash32_column``). Each card is kept, as UTF-8 bytes, per product index
together with a *key*: the product's mutable columns (flags, prices, stock sums, update
time, age). A lookup recomputes the key and re-renders when it differs, so a change
through any path (handlers, orders reserving stock, a test writing the columns
directly) shows at the next request; nothing has to remember to invalidate. Answers are
joined from the kept bytes (a full walk keeps ~200 MB for 100,000 products).

The bytes are exactly what ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``
makes of the dicts ``handlers.products.info_item`` and ``list_item`` build (the
reference, kept for that; ``tests/sandbox/test_cards.py`` compares them).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .catalog import (
    ARCHIVED,
    AUTOARCHIVED,
    CATEGORIES,
    COLOURS,
    DISCOUNTED,
    NO_SKU,
    PID_BASE,
    PID_STEP,
    SKU_BASE,
    SKU_STEP,
    VATS,
    Catalog,
)
from .ledger import RATIOS
from .values import TWO_DIGITS, hash32_column, iso, iso_day, kop_str

if TYPE_CHECKING:
    from .shop import Shop

IMAGE = "https://cdn1.ozone.ru/s3/multimedia-sandbox/"
BLOCK = 4096
"""Products whose hash-derived traits are worked out together (``Cards._traits``)."""
_J = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_TF = ("false", "true")

_N_CATEGORIES, _N_COLOURS = len(CATEGORIES), len(COLOURS)

# Runs of the card that take few values are rendered once, into tables; a card is then a
# handful of table entries and the numbers between them.
_NAMES = [
    [[_J(f"{c.noun}, {colour}, {v}").encode() for v in c.variants] for colour in COLOURS]
    for c in CATEGORIES
]
"""The JSON of every name ``Catalog.name`` makes, by category, colour and variant."""
_CODES = [c.code for c in CATEGORIES]
_OFFER = [f',"offer_id":"{c.code}-' for c in CATEGORIES]
_KINDS = [f',"description_category_id":{17_028_900 + k},"type_id":{94_700 + k},' for k in range(10)]
_FLAGS = [
    f'"is_archived":{_TF[bool(f & ARCHIVED)]},'
    f'"is_autoarchived":{_TF[bool(f & ARCHIVED and f & AUTOARCHIVED)]},'
    f'"is_discounted":{_TF[bool(f & DISCOUNTED)]},'
    '"is_kgt":false,"is_super":false,"is_prepayment_allowed":true,"price":"'
    for f in range(32)
]
"""From ``is_archived`` to the opening quote of ``price``, by ``flags & 31``."""
_STATUSES = [
    (
        f'","currency_code":"RUB","vat":"{vat}","statuses":{{"is_created":true,'
        f'"moderate_status":"approved","status":"{"archived" if archived else "price_sent"}",'
        f'"status_name":"{"Архив" if archived else "Продается" if stock else "Готов к продаже"}",'
        '"status_description":"","status_failed":"","status_tooltip":"","status_updated_at":"'
    ).encode()
    for vat in VATS
    for archived in (0, 1)
    for stock in (0, 1)
]
"""From the closing quote of ``min_price`` to ``status_updated_at``, by VAT, archived and
whether there is stock."""
_INDEX = '","minimal_price_currency":"RUB","price_index_value":1.03},"'
_INDEX_1 = _INDEX + 'ozon_index_data":{"minimal_price":"'
_INDEX_2 = _INDEX + 'self_marketplaces_index_data":{"minimal_price":"'
_INDEX_END = '","minimal_price_currency":"RUB","price_index_value":1.03}}'
_FEES: list[tuple[str, str, str] | None] = [None] * (len(CATEGORIES) * 50 * 2)


def _fees(slot: int) -> tuple[str, str, str]:
    """The three runs around the commission ``value``s: from ``updated_at``'s closing
    quote to the first value, between the two, and from the second to the first
    ``minimal_price``. They depend on the category, the weight and the colour index,
    which ``slot`` numbers: ``(category * 50 + extra grams) * 2 + colour``."""
    found = _FEES[slot]
    ci, extra_grams, colour = slot // 100, slot // 2 % 50, slot % 2
    if found is None:
        grams = CATEGORIES[ci].grams + extra_grams
        ratio = RATIOS[ci % len(RATIOS)]
        percent = f"{float(ratio * 100)!r}"
        fee = f"{(6300 + 2 * grams) / 100!r}"
        fees = f',"delivery_amount":{fee},"return_amount":{fee}}}'
        found = _FEES[slot] = (
            f'","volume_weight":{round(grams / 1000, 2)!r},"commissions":[{{"sale_schema":"FBO",'
            f'"percent":{percent},"value":',
            f'{fees},{{"sale_schema":"FBS","percent":{percent},"value":',
            f'{fees}],"promotions":[],"price_indexes":{{"color_index":"COLOR_INDEX_'
            f'{"GREEN" if colour else "YELLOW"}","external_index_data":{{"minimal_price":"',
        )
    return found


_ROW_FLAGS = ARCHIVED | NO_SKU | DISCOUNTED
_ROW_TAILS = [
    f'"archived":{_TF[bool(k >> 2 & ARCHIVED)]},"has_fbo_stocks":{_TF[k >> 1 & 1]},'
    f'"has_fbs_stocks":{_TF[k & 1]},"is_discounted":{_TF[bool(k >> 2 & DISCOUNTED)]},'
    '"quants":[]}'
    for k in range((_ROW_FLAGS + 1) << 2)
]
"""A ``/v3/product/list`` item after ``sku``, by the key ``list_items`` computes."""

_RATIO = [RATIOS[k % len(RATIOS)].as_integer_ratio() for k in range(len(CATEGORIES))]
"""Each category's commission ratio as ``(numerator, denominator)``."""


def _half_up(x: int, den: int) -> int:
    """``x / den`` rounded to an integer, halves away from zero (``ROUND_HALF_UP``)."""
    q, r = divmod(abs(x), den)
    if 2 * r >= den:
        q += 1
    return q if x >= 0 else -q


class Cards:
    """The JSON fragments of one shop's products (see the module doc)."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self._catalog: Catalog | None = None
        self._now: datetime | None = None
        self._now_ts = 0
        self._info: list[tuple[tuple[Any, ...], bytes] | None] = []
        self._row: list[bytes | None] = []
        self._row_key = array("B")
        self._ready = bytearray()
        """Per block of ``BLOCK`` products: whether its traits below are worked out."""
        self._category = bytearray()
        self._name: list[bytes] = []
        self._vat = bytearray()
        self._fee_slot = array("H")
        self._age_seconds = array("l")

    def _fresh(self) -> Catalog:
        """The catalogue, with the caches dropped when it or the shop's clock changed."""
        cat, now = self.shop.catalog, self.shop.now
        if cat is not self._catalog or now != self._now:
            if cat is not self._catalog:
                n = cat.n
                self._ready = bytearray((n + BLOCK - 1) // BLOCK)
                self._category, self._vat = bytearray(n), bytearray(n)
                self._name = [b""] * n
                self._fee_slot = array("H", [0]) * n
                self._age_seconds = array("l", [0]) * n
            self._catalog, self._now = cat, now
            self._now_ts = int(now.timestamp())
            self._info = [None] * cat.n
            self._row = [None] * cat.n
            self._row_key = array("B", [0]) * cat.n
        return cat

    def _traits(self, cat: Catalog, block: int) -> None:
        """The fixed traits ``Catalog`` derives from ``hash32(seed, i, salt)``, for a
        block of products at once (a tenth of the cost of working them out per card)."""
        start, seed = block * BLOCK, cat.seed
        stop = min(cat.n, start + BLOCK)
        category = bytes([h % _N_CATEGORIES for h in hash32_column(seed, 1, stop, start)])
        self._category[start:stop] = category
        self._name[start:stop] = [
            _NAMES[c][h % _N_COLOURS][(h >> 16) % len(_NAMES[c][0])]
            for c, h in zip(category, hash32_column(seed, 2, stop, start), strict=True)
        ]
        self._vat[start:stop] = bytes([h % 8 // 6 for h in hash32_column(seed, 3, stop, start)])
        self._fee_slot[start:stop] = array(
            "H",
            [
                (c * 50 + h % 50) * 2 + (i % 3 > 0)
                for i, c, h in zip(
                    range(start, stop), category, hash32_column(seed, 4, stop, start), strict=True
                )
            ],
        )
        self._age_seconds[start:stop] = array(
            "l", [h % 80_000 for h in hash32_column(seed, 5, stop, start)]
        )
        self._ready[block] = 1

    # --- /v3/product/info/list ------------------------------------------------------------

    def info_items(self, indexes: Iterable[int]) -> list[bytes]:
        cat = self._fresh()
        cache, render = self._info, self._render_info
        flags, price, old, low, fbo = cat.flags, cat.price, cat.old_price, cat.min_price, cat.fbo
        updated, age = cat.updated, cat.age_days
        present, reserved = cat.present, cat.reserved
        two = len(present) == 2
        if two:
            p0, p1 = present
            r0, r1 = reserved
        out = []
        for i in indexes:
            if two:
                fbs, res = p0[i] + p1[i], r0[i] + r1[i]
            else:
                fbs, res = sum(c[i] for c in present), sum(c[i] for c in reserved)
            key = (flags[i], price[i], old[i], low[i], fbs, res, fbo[i], updated.get(i), age[i])
            hit = cache[i]
            if hit is None or hit[0] != key:
                hit = cache[i] = (key, render(cat, i, key))
            out.append(hit[1])
        return out

    def info_list(self, indexes: Iterable[int]) -> bytes:
        """The whole ``{"items": [...]}`` answer."""
        return _wrap(b'{"items":[', self.info_items(indexes), b"]}")

    def _render_info(self, cat: Catalog, i: int, key: tuple[Any, ...]) -> bytes:
        flag, price, old, low, fbs, res, fbo, upd, age = key
        if not self._ready[i // BLOCK]:
            self._traits(cat, i // BLOCK)
        two = TWO_DIGITS
        ci = self._category[i]
        name = self._name[i]
        vat = self._vat[i]
        slot = self._fee_slot[i]
        fees_1, fees_2, fees_3 = _FEES[slot] or _fees(slot)
        day, clock = divmod(self._now_ts - age * 86_400 - self._age_seconds[i], 86_400)
        clock_s = f"T{two[clock // 3600]}:{two[clock // 60 % 60]}:{two[clock % 60]}.000Z"
        created = iso_day(day) + clock_s
        updated = iso_day(day + 1) + clock_s if upd is None else iso(upd)
        pid = str(PID_BASE + i * PID_STEP)
        archived = flag & ARCHIVED
        stock = fbs - res > 0 or fbo > 0
        has_stock = "true" if stock else "false"
        if flag & NO_SKU:
            sku = "0"
            stocks = sources = "[]"
            barcode = pid
        else:
            sku = barcode = str(SKU_BASE + i * SKU_STEP)
            stocks = (
                f'[{{"present":{fbs},"reserved":{res},"sku":{sku},"source":"fbs"}},'
                f'{{"present":{fbo},"reserved":0,"sku":{sku},"source":"fbo"}}]'
            )
            sources = (
                f'[{{"created_at":"{created}","quant_code":"","shipment_type":'
                f'"SHIPMENT_TYPE_GENERAL","sku":{sku},"source":"sds"}}]'
            )
        head = f'{{"id":{pid}{_OFFER[ci]}{str(i + 1).zfill(6)}","sku":{sku},"name":'
        if cat.renamed and i in cat.renamed:  # an offer id the seller changed
            head = f'{{"id":{pid},"offer_id":{_J(cat.renamed[i])},"sku":{sku},"name":'
        num, den = _RATIO[ci]
        if price >= 0 and old >= 0 and low >= 0:  # always, unless a test writes the columns
            q, r = divmod(price * num, den)
            value = repr((q + (r + r >= den)) / 100)
            minimal = price * 97 // 100
            minimal_s = f"{minimal // 100}.{two[minimal % 100]}"
            middle = (
                f',"barcodes":["OZN{barcode}"]{_KINDS[ci]}{_FLAGS[flag & 31]}'
                f'{price // 100}.{two[price % 100]}","old_price":"{old // 100}.{two[old % 100]}'
                f'","min_price":"{low // 100}.{two[low % 100]}'
            )
        else:
            value = repr(_half_up(price * num, den) / 100)
            minimal_s = kop_str(price * 97 // 100)
            middle = (
                f',"barcodes":["OZN{barcode}"]{_KINDS[ci]}{_FLAGS[flag & 31]}{kop_str(price)}'
                f'","old_price":"{kop_str(old)}","min_price":"{kop_str(low)}'
            )
        tail = (
            f'{updated}","validation_status":"success"}},'
            f'"stocks":{{"has_stock":{has_stock},"stocks":{stocks}}},'
            f'"visibility_details":{{"has_price":true,"has_stock":{has_stock}}},'
            f'"errors":[],"images":["{IMAGE}{pid}.jpg"],"primary_image":["{IMAGE}{pid}.jpg"],'
            '"color_image":[],'
            f'"created_at":"{created}","updated_at":"{updated}{fees_1}{value}{fees_2}{value}'
            f"{fees_3}{minimal_s}{_INDEX_1}{minimal_s}{_INDEX_2}{minimal_s}{_INDEX_END}"
            f',"model_info":{{"count":1,"model_id":{PID_BASE + i * PID_STEP + 90_000_000}}},'
            f'"sources":{sources},"discounted_fbo_stocks":0,"has_discounted_fbo_item":false}}'
        )
        status = _STATUSES[vat * 4 + (2 if archived else 0) + stock]
        return b"".join((head.encode(), name, middle.encode(), status, tail.encode()))

    # --- /v3/product/list -----------------------------------------------------------------

    def list_items(self, indexes: Iterable[int]) -> list[bytes]:
        cat = self._fresh()
        rows, keys = self._row, self._row_key
        flags, fbo, present = cat.flags, cat.fbo, cat.present
        category, codes = self._category, _CODES
        two = len(present) == 2
        if two:
            p0, p1 = present
        out = []
        for i in indexes:
            fbs = p0[i] + p1[i] if two else sum(c[i] for c in present)
            flag = flags[i]
            key = (flag & _ROW_FLAGS) << 2 | (fbo[i] > 0) << 1 | (fbs > 0)
            row = rows[i]
            if row is None or keys[i] != key:
                if not self._ready[i // BLOCK]:
                    self._traits(cat, i // BLOCK)
                # no "sku": /v3/product/list items have none (the card has it)
                row = rows[i] = (
                    f'{{"product_id":{PID_BASE + i * PID_STEP},'
                    f'"offer_id":"{codes[category[i]]}-{str(i + 1).zfill(6)}",'
                    f"{_ROW_TAILS[key]}"
                ).encode()
                keys[i] = key
            out.append(row)
        return out

    def product_list(self, indexes: Iterable[int], total: int, last_id: str) -> bytes:
        """The whole ``{"result": {"items", "total_items", "last_id"}}`` answer (Ozon
        dropped ``total`` on 2026-11-23)."""
        tail = f'],"total_items":{total},"last_id":{_J(last_id)}}}}}'.encode()
        return _wrap(b'{"result":{"items":[', self.list_items(indexes), tail)


def _wrap(head: bytes, items: list[bytes], tail: bytes) -> bytes:
    """``head + b",".join(items) + tail`` with one copy of the (megabytes of) items;
    ``items`` is a list of our own, changed in place."""
    if not items:
        return head + tail
    items[0] = head + items[0]
    items[-1] += tail
    return b",".join(items)
