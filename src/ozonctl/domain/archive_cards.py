"""What an archive run reads of each product's card and decides from it: ``State`` (the
few fields it needs, not the whole card), the cards of many products read 1000 at a time
side by side (``read_states``), and ``Sorting``: the products to change, the outcome of
every other one (already in the wanted state, held back for reserved units, unknown to
Ozon or known by another offer id than the local index). Takes a client and plain values
(no CLI context); the engine is :mod:`ozonctl.domain.archiving`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ozonctl.client import endpoints
from ozonctl.domain.product_outcome import Outcome

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.client.client import OzonClient

RESERVED_HINT = "ship or cancel those orders first, or pass --allow-reserved"
CARD_READS_AT_ONCE = 2
"""Card reads in flight at once. Each answer is parsed by the thread that read it: eight
parses at once share the interpreter and all end late, while an archive's first 1000
products wait for the first two. Two at a time stay ahead of the sending (a group's 10
batches take 0.2 s at 50/s; a card read about half that)."""


@dataclass(frozen=True, slots=True)
class State:
    """What the archive commands need of a product card (not the whole card: 10,000 cards
    would cost hundreds of MB)."""

    is_archived: bool
    is_autoarchived: bool = False
    fbs_present: int = 0
    fbs_reserved: int = 0
    """Units reserved for postings not shipped yet (part of ``fbs_present``)."""
    offer_id: str = ""
    sku: int = 0


def as_int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return 0


def read_state(client: OzonClient, product_ids: Sequence[int]) -> dict[int, State]:
    """Each product's state from its card; products Ozon does not know are absent. Only
    the fields ``ProductInfo`` names are built (``unknown_fields=False``): the ~45 others
    of 10,000 cards were most of an archive's CPU."""
    out: dict[int, State] = {}
    for card in client.products.info(product_ids=product_ids, unknown_fields=False):
        present = card.fbs_present
        out[card.id] = State(
            card.is_archived,
            card.is_archived and card.is_autoarchived,
            present,
            present - card.fbs_free,
            card.offer_id,
            card.sku,
        )
    return out


def read_states(
    client: OzonClient, entries: Sequence[CatalogEntry]
) -> Iterator[tuple[list[CatalogEntry], dict[int, State]]]:
    """``entries`` a request's worth (1000) at a time, each with its cards' state, in
    order; the reads go ``CARD_READS_AT_ONCE`` side by side, ahead of the caller, which
    works on the first 1000 while the others are read."""
    from ozonctl.concurrency import ordered_map

    size = endpoints.get("product.info").max_items or 1000
    chunks = [list(entries[i : i + size]) for i in range(0, len(entries), size)]

    def one(chunk: list[CatalogEntry]) -> dict[int, State]:
        return read_state(client, [e.product_id for e in chunk])

    return zip(
        chunks,
        ordered_map(one, chunks, workers=min(CARD_READS_AT_ONCE, client.concurrency)),
        strict=True,
    )


@dataclass(slots=True)
class Sorting:
    """Which products a run changes, decided from their cards: the outcome of every
    other product, the products held back, and (when the caller asks, with ``stale``)
    the entries whose card says the local index names them wrongly."""

    archive: bool
    allow_reserved: bool
    stale: list[CatalogEntry] | None = None
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    held: list[list[int]] = field(default_factory=list)
    cards: dict[int, State] = field(default_factory=dict)
    """The state of every product sorted out so far."""

    def todo(self, entries: Iterable[CatalogEntry], state: dict[int, State]) -> list[CatalogEntry]:
        """The ``entries`` to change; the others get their outcome."""
        self.cards.update(state)
        target = "archived" if self.archive else "unarchived"
        out: list[CatalogEntry] = []
        for e in entries:
            now = state.get(e.product_id)
            if now is None or (now.offer_id and e.offer_id and now.offer_id != e.offer_id):
                if self.stale is not None:
                    self.stale.append(e)
                self.outcomes[e.product_id] = Outcome(e, "failed", _unknown(e, now))
            elif now.is_archived == self.archive:
                self.outcomes[e.product_id] = Outcome(e, "unchanged", f"already {target}")
            elif self.archive and now.fbs_reserved > 0 and not self.allow_reserved:
                self.held.append([e.product_id, now.fbs_reserved])
                self.outcomes[e.product_id] = Outcome(
                    e,
                    "skipped",
                    f"held back: {now.fbs_reserved} units reserved for orders not shipped "
                    "yet; " + RESERVED_HINT,
                )
            else:
                out.append(e)
        return out


def _unknown(e: CatalogEntry, now: State | None) -> str:
    if now is None:
        return "Ozon does not know this product"
    return (
        f"the local catalogue index is out of date: Ozon says product {e.product_id} is "
        f"{now.offer_id}; run `ozonctl sync` and try again"
    )
