"""One way to name a product: an offer id, an Ozon SKU or a product id, whichever the
seller has, in every command that takes products.

A token may say which id it is with a prefix: ``offer:MUG-1`` (the seller's article, any
text, digits too), ``sku:1660000011`` or ``id:801000005`` (Ozon's product id). Without a
prefix it is looked up as all three. The local catalogue index answers first (no
request); the tokens it does not know are looked up at Ozon in one batched
``/v3/product/info/list`` (1000 ids a request, the three filters together; an id filter
returns a product whatever its visibility, archived ones too). A token that names two
different products (a numeric offer id equal to another product's SKU) is an error that
names both and the prefix to use: never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ozonctl.catalog.index import CatalogEntry
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import ProductInfo

PREFIXES = {"offer": "offer", "offer_id": "offer", "sku": "sku", "id": "id", "product_id": "id"}
"""A token's prefix (before ``:``, any case) -> the id it names."""
KIND_WORDS = {"offer": "offer id", "sku": "SKU", "id": "product id"}


class Ref(NamedTuple):
    """A product token, parsed: ``kind`` is ``offer``, ``sku``, ``id``, or None (any)."""

    token: str
    kind: str | None
    value: str

    @property
    def number(self) -> int | None:
        return int(self.value) if self.value.isdigit() else None


def parse(token: str) -> Ref:
    """``offer:X`` / ``sku:N`` / ``id:N`` (also ``offer_id:``, ``product_id:``), else a
    bare token. A SKU or product id that is not digits is exit 2."""
    text = token.strip()
    head, sep, rest = text.partition(":")
    kind = PREFIXES.get(head.strip().lower()) if sep else None
    if kind is None:
        return Ref(text, None, text)
    value = rest.strip()
    if not value:
        raise UsageError(f"{token!r}: nothing after {head}:", hint="e.g. sku:1660000011")
    if kind != "offer" and not value.isdigit():
        raise UsageError(
            f"{token!r}: a {KIND_WORDS[kind]} is digits only",
            hint=f"for an offer id use offer:{value}",
        )
    return Ref(text, kind, value)


def entry_of(card: ProductInfo) -> CatalogEntry:
    """The index's view of a product card read from Ozon."""
    return CatalogEntry(
        card.id,
        card.offer_id,
        card.sku or 0,
        card.name,
        card.is_archived,
        card.created_at.date() if card.created_at else None,
    )


def _matches(ref: Ref, offer_id: str, sku: int, product_id: int) -> list[str]:
    """The kinds of id of one product that ``ref`` names."""
    n = ref.number
    hits = []
    if ref.kind in (None, "offer") and offer_id == ref.value:
        hits.append("offer")
    if ref.kind in (None, "sku") and n is not None and sku == n:
        hits.append("sku")
    if ref.kind in (None, "id") and n is not None and product_id == n:
        hits.append("id")
    return hits


class NameSet:
    """Products named by a set of tokens, matched without a lookup: an exclude list keeps
    every product one of its tokens may name (by each id a bare token may be)."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self.offers: set[str] = set()
        self.skus: set[int] = set()
        self.pids: set[int] = set()
        for ref in map(parse, tokens):
            n = ref.number
            if ref.kind in (None, "offer"):
                self.offers.add(ref.value)
            if n is not None and ref.kind in (None, "sku"):
                self.skus.add(n)
            if n is not None and ref.kind in (None, "id"):
                self.pids.add(n)

    def __contains__(self, entry: CatalogEntry) -> bool:
        return (
            entry.offer_id in self.offers
            or entry.product_id in self.pids
            or (entry.sku != 0 and entry.sku in self.skus)
        )


@dataclass
class Resolved:
    """What each token names, in the order given."""

    tokens: list[str]
    entries: list[CatalogEntry | None]
    """The product of each token; None when neither the index nor Ozon knows it."""
    cards: dict[int, ProductInfo] = field(default_factory=dict)
    """Product id -> the card read from Ozon, for the tokens the index did not know."""

    @property
    def found(self) -> list[CatalogEntry]:
        """Each product named, once, in the order given."""
        seen: dict[int, CatalogEntry] = {}
        for e in self.entries:
            if e is not None:
                seen.setdefault(e.product_id, e)
        return list(seen.values())

    @property
    def unknown(self) -> list[str]:
        return [t for t, e in zip(self.tokens, self.entries, strict=True) if e is None]


def _ambiguity(ref: Ref, hits: list[tuple[str, CatalogEntry]]) -> UsageError:
    shown = " and ".join(
        f"the {KIND_WORDS[kind]} of product {e.product_id} (offer {e.offer_id})" for kind, e in hits
    )
    ways = " or ".join(f"{kind}:{ref.value}" for kind, _ in hits)
    return UsageError(f"{ref.token!r} names two products: {shown}", hint=f"say which: {ways}")


def _pick(ref: Ref, candidates: Iterable[CatalogEntry]) -> CatalogEntry | None:
    """The one product among ``candidates`` that ``ref`` names; exit 2 when two do."""
    hits: dict[int, tuple[str, CatalogEntry]] = {}
    for e in candidates:
        for kind in _matches(ref, e.offer_id, e.sku, e.product_id):
            hits.setdefault(e.product_id, (kind, e))
    if len(hits) > 1:
        raise _ambiguity(ref, list(hits.values()))
    return next(iter(hits.values()))[1] if hits else None


def in_index(ref: Ref, index: CatalogIndex) -> list[CatalogEntry]:
    """The products of ``index`` that ``ref`` may name (no request)."""
    n = ref.number
    found = []
    if ref.kind in (None, "offer"):
        found.append(index.by_offer(ref.value))
    if n is not None and ref.kind in (None, "sku"):
        found.append(index.by_sku(n))
    if n is not None and ref.kind in (None, "id"):
        found.append(index.by_product_id(n))
    return [e for e in found if e is not None]


def ask_ozon(client: OzonClient, refs: Sequence[Ref]) -> list[ProductInfo]:
    """The cards of ``refs`` from Ozon: each ref under the filters it may be (a bare
    token of digits under all three), every filter in one batch (1000 ids a request)."""
    offers: dict[str, None] = {}
    skus: dict[int, None] = {}
    pids: dict[int, None] = {}
    for ref in refs:
        n = ref.number
        if ref.kind in (None, "offer"):
            offers[ref.value] = None
        if n is not None and ref.kind in (None, "sku"):
            skus[n] = None
        if n is not None and ref.kind in (None, "id"):
            pids[n] = None
    return list(
        client.products.info(product_ids=list(pids), offer_ids=list(offers), skus=list(skus))
    )


def resolve(tokens: Sequence[str], index: CatalogIndex | None, client: OzonClient) -> Resolved:
    """What each of ``tokens`` names: through ``index`` (no request), then the rest at
    Ozon in one batch. Exit 2 (``UsageError``) for a malformed or ambiguous token."""
    refs = [parse(t) for t in tokens]
    entries: list[CatalogEntry | None] = [
        None if index is None else _pick(r, in_index(r, index)) for r in refs
    ]
    out = Resolved([r.token for r in refs], entries)
    ask = [r for r, e in zip(refs, entries, strict=True) if e is None and r.value]
    if not ask:
        return out
    out.cards = {c.id: c for c in ask_ozon(client, ask)}
    known = [entry_of(c) for c in out.cards.values()]
    for i, ref in enumerate(refs):
        if entries[i] is None:
            entries[i] = _pick(ref, known)
    return out


def resolve_one(token: str, index: CatalogIndex | None, client: OzonClient) -> CatalogEntry:
    """The product ``token`` names; exit 2 with one line when none or two do."""
    entry = resolve([token], index, client).entries[0]
    if entry is None:
        raise unknown_error([token])
    return entry


def unknown_error(unknown: Sequence[str]) -> UsageError:
    shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
    return UsageError(
        f"unknown product{'s' if len(unknown) > 1 else ''}: {shown}",
        hint="no offer id, SKU or product id of the shop is that; check it, "
        "or say which with offer:, sku: or id:",
    )
