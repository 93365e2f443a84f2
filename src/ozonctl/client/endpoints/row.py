"""One row of the endpoint table: an Ozon method as ozonctl calls it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["read", "write"]
Paging = Literal["none", "last_id", "last_id_int", "cursor", "offset", "page"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    key: str
    method: Literal["GET", "POST"]
    path: str
    kind: Kind
    max_items: int | None = None
    """Most items one request takes (the list named by ``items_field``), or page size."""
    items_field: str | None = None
    """The request field whose length is bounded by ``max_items``."""
    paging: Paging = "none"
    per_minute: int | None = None
    """Per-method limit, in requests a minute (None: only the shared bucket applies)."""
    summary: str = ""
    items_path: str | None = None
    """Where a paginated response holds its items (``result.items``, ``postings`` …)."""

    @property
    def is_write(self) -> bool:
        return self.kind == "write"


def row(
    key: str,
    method: Literal["GET", "POST"],
    path: str,
    kind: Kind,
    *,
    max_items: int | None = None,
    items_field: str | None = None,
    paging: Paging = "none",
    per_minute: int | None = None,
    summary: str = "",
    items_path: str | None = None,
) -> Endpoint:
    return Endpoint(
        key, method, path, kind, max_items, items_field, paging, per_minute, summary, items_path
    )
