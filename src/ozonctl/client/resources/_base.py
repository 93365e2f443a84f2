"""What every resource shares: calls by endpoint key, page walks and batched writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ozonctl.client import endpoints
from ozonctl.client.batching import BatchOutcome, BatchReport, run_batches
from ozonctl.client.pagination import Page, iter_pages

if TYPE_CHECKING:
    from ozonctl.client._base import BaseClient

T = TypeVar("T")


class Resource:
    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def _call(
        self, key: str, body: Any = None, *, parse: Callable[[bytes], Any] | None = None
    ) -> Any:
        """One call; ``parse`` (e.g. ``TypeAdapter(M).validate_json``) replaces
        ``json.loads`` for a successful body."""
        return self._client.call(endpoints.get(key), body, parse=parse)

    def _pages(
        self,
        key: str,
        body: dict[str, Any] | None,
        *,
        items_path: str | None = None,
        limit: int | None = None,
        next_from_item: str | None = None,
        parse: Callable[[bytes], Any] | None = None,
    ) -> Iterator[Page]:
        return iter_pages(
            self._client,
            endpoints.get(key),
            body,
            items_path=items_path,
            limit=limit,
            next_from_item=next_from_item,
            parse=parse,
        )

    def _items(self, key: str, body: dict[str, Any] | None, **kw: Any) -> Iterator[Any]:
        """Every item across every page (same options as ``_pages``)."""
        for page in self._pages(key, body, **kw):
            yield from page.items

    def _batches(
        self,
        key: str,
        items: Sequence[T],
        build_body: Callable[[list[T]], dict[str, Any]],
        *,
        size: int | None = None,
        before_batch: Callable[[int, list[T]], None] | None = None,
        on_done: Callable[[BatchOutcome[T]], None] | None = None,
    ) -> BatchReport[T]:
        return run_batches(
            self._client,
            endpoints.get(key),
            items,
            build_body,
            size=size,
            before_batch=before_batch,
            on_done=on_done,
        )
