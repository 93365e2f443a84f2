"""The shop's FBS/rFBS warehouses by name.

Sellers know their warehouses by name ("Склад Москва", "Shenzhen rFBS"), Ozon's methods by
id. One list from ``/v2/warehouse/list`` (cursor paged; Ozon allows it about once a minute)
is kept a day in the profile's cache (``warehouses.toml``), and ``resolve`` turns what the
seller typed into one warehouse: an id, else the name in any case, else the one name that
starts with it. Unknown or ambiguous text is a usage error naming the shop's warehouses.
A miss on the cached list asks Ozon once more before it says so (a warehouse made today).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient

CACHE_FOR = timedelta(days=1)
FILE = "warehouses.toml"


@dataclass(frozen=True, slots=True)
class Warehouse:
    id: int
    name: str
    status: str
    rfbs: bool

    @property
    def scheme(self) -> str:
        """``rFBS`` (the seller delivers to the buyer) or ``FBS`` (Ozon delivers)."""
        return "rFBS" if self.rfbs else "FBS"

    def label(self) -> str:
        return f"{self.name} ({self.id})"


def fetch(client: OzonClient) -> list[Warehouse]:
    """Every warehouse of the shop, as Ozon lists them now."""
    return [
        Warehouse(w.warehouse_id, w.name, w.status, w.is_rfbs) for w in client.account.warehouses()
    ]


def _read(path: Path, now: datetime) -> list[Warehouse] | None:
    from ozonctl.state.files import read_toml

    data = read_toml(path)
    checked = data.get("checked_at")
    if not isinstance(checked, datetime) or not timedelta(0) <= now - checked < CACHE_FOR:
        return None
    try:
        return [
            Warehouse(int(w["id"]), str(w["name"]), str(w["status"]), bool(w["rfbs"]))
            for w in data.get("warehouses", [])
        ]
    except (KeyError, TypeError, ValueError):
        return None


def _write(path: Path, found: list[Warehouse], now: datetime) -> None:
    from ozonctl.state.files import write_toml

    rows: list[dict[str, Any]] = [
        {"id": w.id, "name": w.name, "status": w.status, "rfbs": w.rfbs} for w in found
    ]
    with contextlib.suppress(OSError):  # a read-only cache only costs a call next time
        write_toml(path, {"checked_at": now, "warehouses": rows})


class Warehouses:
    """The shop's warehouses, read from the day's cache or Ozon on first use."""

    def __init__(self, cache_dir: Path, client: Callable[[], OzonClient]) -> None:
        self._path = cache_dir / FILE
        self._client = client
        self._known: list[Warehouse] | None = None
        self._fresh = False

    def all(self, *, refresh: bool = False) -> list[Warehouse]:
        now = datetime.now(UTC).replace(microsecond=0)
        if self._known is None and not refresh:
            self._known = _read(self._path, now)
        if self._known is None or (refresh and not self._fresh):
            self._known = fetch(self._client())
            self._fresh = True
            _write(self._path, self._known, now)
        return self._known

    def resolve(self, text: str, option: str = "--warehouse") -> Warehouse:
        """The one warehouse ``text`` names (id, name in any case, or a unique start of a
        name); a usage error listing the shop's warehouses otherwise."""
        wanted = text.strip()
        if not wanted:
            raise UsageError(f"{option} is empty; give a warehouse name or id")
        found = match(wanted, self.all())
        if len(found) != 1 and not self._fresh:
            found = match(wanted, self.all(refresh=True))
        if len(found) == 1:
            return found[0]
        known = self.all()
        names = "; ".join(w.label() for w in (found or known)) or "none"
        if found:
            raise UsageError(f"{option} {wanted!r} matches several warehouses: {names}")
        raise UsageError(f"{option} {wanted!r}: no such warehouse; this shop has: {names}")

    def name_of(self, warehouse_id: int) -> str:
        return next((w.name for w in self.all() if w.id == warehouse_id), "")


def match(text: str, known: list[Warehouse]) -> list[Warehouse]:
    """The warehouses ``text`` names: by id, else by the whole name in any case, else
    every one whose name starts with it."""
    if text.isdigit():
        return [w for w in known if w.id == int(text)]
    key = text.casefold()
    exact = [w for w in known if w.name.casefold() == key]
    return exact or [w for w in known if w.name.casefold().startswith(key)]
