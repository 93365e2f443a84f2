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
from concurrent.futures import Future
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ozonctl.catalog import columns as cols
from ozonctl.errors import OzonctlError
from ozonctl.state.files import atomic_write_bytes, move_aside

if TYPE_CHECKING:
    from collections.abc import Callable

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


class CatalogEntry(NamedTuple):
    """One product of the index (immutable)."""

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


def index_path(folder: Path) -> Path:
    """The index in a profile's catalogue folder (``<cache>/profiles/<profile>/catalog``)."""
    return folder / "index.toml"


def _dates(texts: list[str]) -> list[dt.date | None]:
    """Creation dates as stored (ISO days, empty when unknown), each day parsed once."""
    days = {t: dt.date.fromisoformat(t) for t in set(texts) if t}
    return [days.get(t) for t in texts]


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


_LOOKUPS = ("_by_offer", "_by_sku", "_by_pid")
"""The maps an index makes on first use from its columns."""


class CatalogIndex:
    """All products of a shop, column-wise (plain lists, one a field of
    ``CatalogEntry``); ``CatalogEntry`` objects are made on demand. Change the columns
    only through ``mark_archived``, ``add`` and ``drop``: the lookup maps are made from
    them on first use, and the texts of the columns as read are written back, both
    forgotten when they change."""

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
        """Product ids (ints)."""
        self.offer_ids = offer_ids
        """Offer ids (the seller's article codes)."""
        self.skus = skus
        """SKUs; 0 when Ozon has not given one (yet)."""
        self.names = names
        self.archived = archived
        self.created = created
        self.refreshed = refreshed
        self.path = path
        self.stamp: tuple[int, int, int] | None = None
        """The file's (inode, size, mtime) when it was read or written by this object."""
        self._stored: dict[str, str] = {}
        """The columns' texts as read from the file, of the columns unchanged since:
        written back as they are (``columns.dump``)."""

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
        stamp = _stamp(path)
        texts: dict[str, str] = {}
        loaded = cols.load(path, COLUMNS, texts=texts)
        if loaded is None:
            return cls([], [], [], [], [], [], path=path)
        header, c = loaded
        try:
            index = cls(
                list(map(int, c["product_id"])),
                c["offer_id"],
                [int(t) if t else 0 for t in c["sku"]],
                c["name"],
                [t == "1" for t in c["archived"]],
                _dates(c["created"]),
                refreshed=parse_time(header.get("refreshed")),
                path=path,
            )
        except ValueError as exc:  # a value that is not what its column holds
            move_aside(path, str(exc))
            return cls([], [], [], [], [], [], path=path)
        index.stamp = stamp
        index._stored = texts
        return index

    def as_stored(self) -> CatalogIndex:
        """The index as its file holds it now: this one when the file is still the one
        it was read from (same inode, size and modification time: an atomic write makes
        a new file), else the file read again -- another run may have written it, and
        its changes must not be overwritten. Not parsed again for nothing: a read of
        100,000 products costs a quarter of a second."""
        now = _stamp(self.path) if self.path is not None else None
        if now is None or now == self.stamp or self.path is None:
            return self
        return CatalogIndex.read(self.path)

    @classmethod
    def load(cls, folder: Path) -> CatalogIndex:
        """The index kept in the catalogue ``folder`` (empty when there is none)."""
        return cls.read(index_path(folder))

    def write(self, path: Path | None = None) -> None:
        """Save the index at ``path`` (default: where it was read), atomically."""
        path, data = self._encoded(path)
        atomic_write_bytes(path, data, mode=0o600)

    def write_in_background(self, path: Path | None = None) -> Future[None]:
        """``write``: the file's bytes are made now, then written and fsynced in a thread
        of its own while the caller goes on; the future's ``result()`` waits for it and
        raises its error."""
        from ozonctl.concurrency import in_background

        path, data = self._encoded(path)
        return in_background(atomic_write_bytes, path, data, mode=0o600)

    def _encoded(self, path: Path | None) -> tuple[Path, bytes]:
        path = path or self.path
        if path is None:
            raise ValueError("no path to write the catalogue index to")
        self.path = path
        return path, cols.dump(
            {"count": len(self), "refreshed": iso(self.refreshed) if self.refreshed else None},
            {
                "product_id": map(str, self.product_ids),
                "offer_id": self.offer_ids,
                "sku": (str(s) if s else "" for s in self.skus),
                "name": self.names,
                "archived": ("1" if a else "0" for a in self.archived),
                "created": (d.isoformat() if d else "" for d in self.created),
            },
            self._stored,
        )

    @classmethod
    def refresh(cls, folder: Path, client: OzonClient, *, full: bool = False) -> CatalogIndex:
        """Re-read the catalogue from Ozon (details only for new products unless
        ``full``), save it in ``folder`` and return it. An empty list never replaces a
        non-empty index (an ``OzonctlError``): a wrong answer must not make every product
        unknown."""
        old = cls.load(folder)
        index = cls.build(client, old=None if full else old)
        if not len(index) and len(old):
            raise OzonctlError(
                f"Ozon listed no products, while the catalogue index holds {len(old)}; "
                "kept the index",
                hint="run it again later; if the shop really has no products now, "
                f"delete {index_path(folder)}",
            )
        index.write(index_path(folder))
        return index

    @classmethod
    def build(cls, client: OzonClient, *, old: CatalogIndex | None = None) -> CatalogIndex:
        started = utcnow()
        found: dict[int, list[Any]] = {}
        for visibility in ("ALL", "ARCHIVED"):
            for page in client.products.list_pages(visibility=visibility):
                for item in page:
                    archived = visibility == "ARCHIVED" or item.archived
                    # the SKU is not in Ozon's list items: from the old index or the card
                    found[item.product_id] = [item.offer_id, 0, "", archived, None]
        need: list[int] = []
        for pid, row in found.items():
            known = old.by_product_id(pid) if old is not None else None
            if known is None or known.offer_id != row[0] or not known.name:
                need.append(pid)
            else:
                row[1] = row[1] or known.sku
                row[2], row[4] = known.name, known.created
        # only the named fields are kept: the other ~45 of each card are not built
        for info in client.products.info(product_ids=need, unknown_fields=False):
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
        folder: Path,
        client: Callable[[], OzonClient],
        *,
        say: Callable[[str], None] | None = None,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
    ) -> CatalogIndex:
        """The index kept in ``folder``, refreshed first when older than ``max_age`` or
        missing (``client()`` is called only then; ``say`` tells the user)."""
        index = cls.load(folder)
        if index.is_stale(max_age):
            if say is not None:
                say("refreshing the catalogue index…")
            index = cls.refresh(folder, client())
        return index

    # -- state ----------------------------------------------------------------------------
    def is_stale(self, max_age: dt.timedelta = DEFAULT_MAX_AGE) -> bool:
        return self.refreshed is None or utcnow() - self.refreshed > max_age

    def mark_archived(self, product_ids: Iterable[int], archived: bool) -> None:
        """Record archive/unarchive results without a full refresh (call ``write``)."""
        self.stamp = None  # no longer what the file holds
        self._stored.pop("archived", None)
        by_pid, column = self._by_pid, self.archived
        for pid in product_ids:
            i = by_pid.get(pid)
            if i is not None:
                column[i] = archived

    def add(self, entries: Iterable[CatalogEntry]) -> None:
        """Record products read from Ozon that the index does not hold yet (new since the
        last sync), so the next lookup needs no request (call ``write``). The index's
        ``refreshed`` time is kept: a missing or old index is still refreshed in full."""
        by_pid = self._by_pid
        new = [e for e in dict((e.product_id, e) for e in entries).values() if e.product_id]
        new = [e for e in new if e.product_id not in by_pid]
        for e in new:
            self.product_ids.append(e.product_id)
            self.offer_ids.append(e.offer_id)
            self.skus.append(e.sku)
            self.names.append(e.name)
            self.archived.append(e.archived)
            self.created.append(e.created)
        if new:
            self.stamp = None  # no longer what the file holds
            self._stored.clear()
            for name in _LOOKUPS:
                self.__dict__.pop(name, None)

    def drop(self, product_ids: Iterable[int]) -> None:
        """Forget deleted products (call ``write``)."""
        self.stamp = None  # no longer what the file holds
        self._stored.clear()
        gone = set(product_ids)
        keep = [i for i, p in enumerate(self.product_ids) if p not in gone]
        for name in ("product_ids", "offer_ids", "skus", "names", "archived", "created"):
            column = getattr(self, name)
            setattr(self, name, [column[i] for i in keep])
        for name in _LOOKUPS:
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
        return map(
            CatalogEntry._make,
            zip(
                self.product_ids,
                self.offer_ids,
                self.skus,
                self.names,
                self.archived,
                self.created,
                strict=True,
            ),
        )

    @cached_property
    def _by_offer(self) -> dict[str, int]:
        """Offer id -> row (a repeated offer id: its last row)."""
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

    def by_product_ids(self, product_ids: Sequence[int]) -> list[CatalogEntry | None]:
        """``by_product_id`` of each, in order (names given by a seller go through
        :mod:`ozonctl.catalog.resolve`, which also says when a name is two products)."""
        return [self.by_product_id(pid) for pid in product_ids]
