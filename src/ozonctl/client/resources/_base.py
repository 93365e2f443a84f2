"""What every resource shares: calls by endpoint key, page walks and batched writes,
and the one rule for answers the models cannot read.

An answer is read into models in two places: in the client's ``parse=`` hook (lean
shapes validated straight from the bytes) and by the resource method after the call
(``Model.model_validate``). A pydantic ``ValidationError`` from either ends as
:class:`~ozonctl.client.errors.UnexpectedAnswerError` naming the method, the path and the
field — one line for the seller, never a traceback and never a default figure in place
of one Ozon did not send. The hook is wrapped per call; every public method of a
resource (and the iterator it returns) is wrapped once per class, at its definition, and
names the method the resource called last.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from ozonctl.client import endpoints
from ozonctl.client.batching import BatchOutcome, BatchReport, run_batches
from ozonctl.client.errors import UnexpectedAnswerError
from ozonctl.client.pagination import Page, iter_pages

if TYPE_CHECKING:
    from ozonctl.client._base import BaseClient

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


def is_validation_error(exc: BaseException) -> bool:
    """A pydantic ``ValidationError`` (pydantic is not imported to check: a command that
    never loaded it cannot have raised one)."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(exc, core.ValidationError)


def not_understood(key: str, exc: Exception) -> UnexpectedAnswerError:
    ep = endpoints.get(key)
    return UnexpectedAnswerError.from_validation(ep.method, ep.path, exc)


class Resource:
    def __init__(self, client: BaseClient) -> None:
        self._client = client
        self._answered: str | None = None
        """The key of the last method called (pipelines call from threads of their own,
        so not a thread-local)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, fn in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(fn):
                setattr(cls, name, _checked(fn))

    def _call(
        self, key: str, body: Any = None, *, parse: Callable[[bytes], Any] | None = None
    ) -> Any:
        """One call; ``parse`` (e.g. ``TypeAdapter(M).validate_json``) replaces
        ``json.loads`` for a successful body."""
        self._answered = key
        return self._client.call(endpoints.get(key), body, parse=_guarded(key, parse))

    def _pages(
        self,
        key: str,
        body: dict[str, Any] | None,
        *,
        items_path: str | None = None,
        limit: int | None = None,
        next_from_item: str | None = None,
        parse: Callable[[bytes], Any] | None = None,
        read_ahead: bool = False,
    ) -> Iterator[Page]:
        """The pages of ``key``'s method (``iter_pages``); ``read_ahead``: each next page
        is asked for once its key is read from the answer (``PageKeys``), before the page
        is read, for callers that walk to the end."""
        self._answered = key
        keys = _guarded(key, _page_keys) if read_ahead else None
        return iter_pages(
            self._client,
            endpoints.get(key),
            body,
            items_path=items_path,
            limit=limit,
            next_from_item=next_from_item,
            parse=_guarded(key, parse),
            keys=keys,
        )

    def _items(self, key: str, body: dict[str, Any] | None, **kw: Any) -> Iterator[Any]:
        """Every item across every page (same options as ``_pages``)."""
        for page in self._pages(key, body, **kw):
            yield from page.items

    def _side_by_side(self, read: Callable[[C], list[R]], chunks: Sequence[C]) -> Iterator[R]:
        """``read`` of every chunk (a request's worth of ids), items in chunk order. Two or
        more chunks are read side by side, up to the client's concurrency under its rate
        limiter: no chunk needs another's answer, so ten take about one round trip, not
        ten in a row. One chunk is read in the caller's thread."""
        if len(chunks) <= 1:
            for chunk in chunks:
                yield from read(chunk)
            return
        from ozonctl.concurrency import ordered_map

        workers = self._client.concurrency  # answers waiting their turn: at most that many
        for items in ordered_map(read, chunks, workers=workers, window=workers):
            yield from items

    def _batches(
        self,
        key: str,
        items: Iterable[T],
        build_body: Callable[[list[T]], dict[str, Any]],
        *,
        size: int | None = None,
        before_batch: Callable[[int, list[T]], None] | None = None,
        on_done: Callable[[BatchOutcome[T]], None] | None = None,
    ) -> BatchReport[T]:
        self._answered = key
        return run_batches(
            self._client,
            endpoints.get(key),
            items,
            build_body,
            size=size,
            before_batch=before_batch,
            on_done=on_done,
        )


def _page_keys(content: bytes) -> Any:
    """What a page walk steers by (``PageKeys``); pydantic is imported on first use, not
    before the first page is asked for."""
    from ozonctl.client.models.common import PageKeys, adapter

    return adapter(PageKeys).validate_json(content)


def _guarded(key: str, parse: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    """``parse`` whose ``ValidationError`` names ``key``'s method (inside the client's
    hook a ValueError would read as a body that is not JSON)."""
    if parse is None:
        return None

    def run(content: bytes) -> Any:
        try:
            return parse(content)
        except ValueError as exc:
            if is_validation_error(exc) and not _not_json(exc):
                raise not_understood(key, exc) from exc
            raise  # the client says the body is not JSON

    return run


def _not_json(exc: Any) -> bool:
    """A ``ValidationError`` of ``validate_json`` that is about the bytes, not the shape."""
    return all(e["type"] == "json_invalid" for e in exc.errors())


def _checked(fn: F) -> F:
    """``fn`` (a resource method) with its ``ValidationError`` turned into
    ``UnexpectedAnswerError``, also while its returned iterator is walked."""

    @functools.wraps(fn)
    def method(self: Resource, *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(self, *args, **kwargs)
        except ValueError as exc:
            _reraise(self, exc)
        if isinstance(result, Iterator):
            return _walk(self, result)
        return result

    return method  # type: ignore[return-value]


def _walk(resource: Resource, items: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from items
    except ValueError as exc:
        _reraise(resource, exc)


def _reraise(resource: Resource, exc: ValueError) -> NoReturn:
    key = resource._answered
    if key is None or not is_validation_error(exc):
        raise exc
    raise not_understood(key, exc) from exc
