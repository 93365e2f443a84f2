"""The local catalogue index: offer id ↔ product id ↔ SKU, name, archived, created.

Kept in ``<cache>/profiles/<profile>/catalog/index.toml`` (layout in
:mod:`ozonctl.catalog.columns`). ``refresh`` walks ``/v3/product/list`` twice (Ozon's
``ALL`` leaves archived products out, so ``ARCHIVED`` too) and reads
``/v3/product/info/list`` only for products it has not seen before (name and creation
date do not change), or for all with ``full=True``. Lookups build their maps on first
use. The file is a cache: it is written atomically and rebuilt when lost or corrupt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonctl.catalog import columns as cols

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient

COLUMNS = ("product_id", "offer_id", "sku", "name", "archived", "created")
DEFAULT_MAX_AGE = dt.timedelta(hours=12)
"""How old the index may be before a command that needs it refreshes it."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, str) and value:
        try:
            return parse_time(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    product_id: int
    offer_id: str
    sku: int
    """0 when Ozon has not given the product a SKU (yet)."""
    name: str
    archived: bool
    created: dt.date | None

    def age_days(self, today: dt.date) -> int | None:
        return None if self.created is None else (today - self.created).days

    def as_row(self) -> dict[str, Any]:
        return {
            "offer_id": self.offer_id,
            "product_id": self.product_id,
            "sku": self.sku or None,
            "name": self.name,
            "archived": self.archived,
            "created": self.created,
        }


def index_path(ctx: AppContext) -> Path:
    return ctx.cache_dir() / "catalog" / "index.toml"


class CatalogIndex:
    """All products of a shop, column-wise; ``CatalogEntry`` objects made on demand."""

    def __init__(
        self,
        product_ids: list[int],
        offer_ids: list[str],
        skus: list[int],
        names: list[str],
        archived: list[bool],
        created: list[dt.date | None],
        *,
        refreshed: dt.datetime | None = None,
        path: Path | None = None,
    ) -> None:
        n = len(product_ids)
        if not all(len(c) == n for c in (offer_ids, skus, names, archived, created)):
            raise ValueError("catalogue columns differ in length")
        self.product_ids = product_ids
        self.offer_ids = offer_ids
        self.skus = skus
        self.names = names
        self.archived = archived
        self.created = created
        self.refreshed = refreshed
        self.path = path

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_entries(
        cls, entries: Iterable[CatalogEntry], *, refreshed: dt.datetime | None = None
    ) -> CatalogIndex:
        rows = list(entries)
        return cls(
            [e.product_id for e in rows],
            [e.offer_id for e in rows],
            [e.sku for e in rows],
            [e.name for e in rows],
            [e.archived for e in rows],
            [e.created for e in rows],
            refreshed=refreshed,
        )

    @classmethod
    def read(cls, path: Path) -> CatalogIndex:
        """The index stored at ``path`` (empty, never refreshed, when absent)."""
        loaded = cols.load(path, COLUMNS)
        if loaded is None:
            return cls([], [], [], [], [], [], path=path)
        header, c = loaded
        return cls(
            list(map(int, c["product_id"])),
            c["offer_id"],
            [int(s) if s else 0 for s in c["sku"]],
            c["name"],
            [s == "1" for s in c["archived"]],
            [dt.date.fromisoformat(s) if s else None for s in c["created"]],
            refreshed=parse_time(header.get("refreshed")),
            path=path,
        )

    @classmethod
    def load(cls, ctx: AppContext) -> CatalogIndex:
        return cls.read(index_path(ctx))

    def write(self, path: Path | None = None) -> None:
        path = path or self.path
        if path is None:
            raise ValueError("no path to write the catalogue index to")
        self.path = path
        cols.write(
            path,
            {"count": len(self), "refreshed": iso(self.refreshed) if self.refreshed else None},
            {
                "product_id": map(str, self.product_ids),
                "offer_id": self.offer_ids,
                "sku": (str(s) if s else "" for s in self.skus),
                "name": self.names,
                "archived": ("1" if a else "0" for a in self.archived),
                "created": (d.isoformat() if d else "" for d in self.created),
            },
        )

    @classmethod
    def refresh(cls, ctx: AppContext, client: OzonClient, *, full: bool = False) -> CatalogIndex:
        """Re-read the catalogue from Ozon (details only for new products unless
        ``full``), save it and return it."""
        old = cls.load(ctx)
        index = cls.build(client, old=None if full else old)
        index.write(index_path(ctx))
        return index

    @classmethod
    def build(cls, client: OzonClient, *, old: CatalogIndex | None = None) -> CatalogIndex:
        started = utcnow()
        found: dict[int, list[Any]] = {}
        for visibility in ("ALL", "ARCHIVED"):
            for page in client.products.list_pages(visibility=visibility):
                for item in page:
                    archived = visibility == "ARCHIVED" or item.archived
                    found[item.product_id] = [item.offer_id, item.sku, "", archived, None]
        need: list[int] = []
        for pid, row in found.items():
            known = old.by_product_id(pid) if old is not None else None
            if known is None or known.offer_id != row[0] or not known.name:
                need.append(pid)
            else:
                row[1] = row[1] or known.sku
                row[2], row[4] = known.name, known.created
        for info in client.products.info(product_ids=need):
            hit = found.get(info.id)
            if hit is None:
                continue
            hit[0] = info.offer_id or hit[0]
            hit[1] = info.sku or hit[1]
            hit[2] = info.name
            hit[4] = info.created_at.date() if info.created_at else None
            if info.is_archived:
                hit[3] = True
        pids = sorted(found)
        return cls(
            pids,
            [found[p][0] for p in pids],
            [int(found[p][1] or 0) for p in pids],
            [found[p][2] for p in pids],
            [bool(found[p][3]) for p in pids],
            [found[p][4] for p in pids],
            refreshed=started,
        )

    @classmethod
    def ensure(
        cls,
        ctx: AppContext,
        client: OzonClient | None = None,
        *,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
    ) -> CatalogIndex:
        """The stored index, refreshed first when older than ``max_age`` or missing."""
        index = cls.load(ctx)
        if index.is_stale(max_age):
            ctx.output.info("refreshing the catalogue index…")
            index = cls.refresh(ctx, client or ctx.client())
        return index

    # -- state ----------------------------------------------------------------------------
    def is_stale(self, max_age: dt.timedelta = DEFAULT_MAX_AGE) -> bool:
        return self.refreshed is None or utcnow() - self.refreshed > max_age

    def mark_archived(self, product_ids: Iterable[int], archived: bool) -> None:
        """Record archive/unarchive results without a full refresh (call ``write``)."""
        for pid in product_ids:
            i = self._by_pid.get(pid)
            if i is not None:
                self.archived[i] = archived

    def drop(self, product_ids: Iterable[int]) -> None:
        """Forget deleted products (call ``write``)."""
        gone = set(product_ids)
        keep = [i for i, p in enumerate(self.product_ids) if p not in gone]
        for name in ("product_ids", "offer_ids", "skus", "names", "archived", "created"):
            column = getattr(self, name)
            setattr(self, name, [column[i] for i in keep])
        for name in ("_by_offer", "_by_sku", "_by_pid"):
            self.__dict__.pop(name, None)

    # -- reading ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.product_ids)

    def entry(self, i: int) -> CatalogEntry:
        return CatalogEntry(
            self.product_ids[i],
            self.offer_ids[i],
            self.skus[i],
            self.names[i],
            self.archived[i],
            self.created[i],
        )

    def __iter__(self) -> Iterator[CatalogEntry]:
        return (self.entry(i) for i in range(len(self)))

    @cached_property
    def _by_offer(self) -> dict[str, int]:
        return dict(zip(self.offer_ids, range(len(self)), strict=True))

    @cached_property
    def _by_sku(self) -> dict[int, int]:
        return {s: i for i, s in enumerate(self.skus) if s}

    @cached_property
    def _by_pid(self) -> dict[int, int]:
        return dict(zip(self.product_ids, range(len(self)), strict=True))

    def by_offer(self, offer_id: str) -> CatalogEntry | None:
        i = self._by_offer.get(offer_id)
        return None if i is None else self.entry(i)

    def by_sku(self, sku: int) -> CatalogEntry | None:
        i = self._by_sku.get(sku)
        return None if i is None else self.entry(i)

    def by_product_id(self, product_id: int) -> CatalogEntry | None:
        i = self._by_pid.get(product_id)
        return None if i is None else self.entry(i)

    def resolve(self, token: str) -> CatalogEntry | None:
        """An offer id, SKU or product id (offer ids win: an offer id may be digits)."""
        token = token.strip()
        hit = self.by_offer(token)
        if hit is not None or not token.isdigit():
            return hit
        number = int(token)
        return self.by_sku(number) or self.by_product_id(number)

    def resolve_all(self, tokens: Sequence[str]) -> tuple[list[CatalogEntry], list[str]]:
        """``(found, unknown)`` in input order, each product once."""
        found: list[CatalogEntry] = []
        unknown: list[str] = []
        seen: set[int] = set()
        for token in tokens:
            hit = self.resolve(token)
            if hit is None:
                unknown.append(token)
            elif hit.product_id not in seen:
                seen.add(hit.product_id)
                found.append(hit)
        return found, unknown
