"""Products: list, details, archive/unarchive/delete, stock and prices.

Reads stream (generators over the page walk). Writes go in batches of the endpoint's item
limit (``client/endpoints``) through ``run_batches``; the per-item answers of stock, price
and delete writes come back as typed results, a failed batch giving each of its items
the batch's error. Archive and unarchive answer one ``{result: bool}`` per batch: their
per-item outcome is read back with :meth:`ProductsResource.info` (``is_archived``).

No pydantic at import: the models are imported by the methods that read them. Every
read returns the pydantic models of ``client/models/products.py`` (one model family: the
listing's lean TypedDicts and the plain-JSON card and price readers went in issue 17.2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ozonctl.client.batching import BatchOutcome, BatchReport, chunked
from ozonctl.client.errors import APIError
from ozonctl.client.resources._base import Resource
from ozonctl.concurrency import in_background

if TYPE_CHECKING:
    from ozonctl.client.models.products import (
        DeleteStatus,
        PricePromotions,
        PriceUpdate,
        PriceUpdateResult,
        ProductInfo,
        ProductListItem,
        ProductPrice,
        ProductStocks,
        StockUpdate,
        StockUpdateResult,
        WarehouseStock,
    )

T = TypeVar("T")
R = TypeVar("R")
BeforeBatch = Callable[[int, list[Any]], None]
OnDone = Callable[[BatchOutcome[Any]], None]

INFO_MAX_IDS = 1000
"""``/v3/product/info/list`` takes at most 1000 ids in total across its three arrays."""


@dataclass
class ItemResults(Generic[T, R]):
    """Per-item answers of a batched write: ``results`` from Ozon, ``failed`` the items
    whose whole batch failed (with that batch's error)."""

    results: list[R] = field(default_factory=list)
    failed: list[tuple[T, APIError]] = field(default_factory=list)
    not_sent: list[T] = field(default_factory=list)
    requests: int = 0


def _ids(values: Iterable[int]) -> list[str]:
    return [str(v) for v in values]


def _list_parser() -> Callable[[bytes], Any]:
    from ozonctl.client.models.common import adapter
    from ozonctl.client.models.products import ProductListAnswer

    return adapter(ProductListAnswer).validate_json


class ProductsResource(Resource):
    # -- reads -----------------------------------------------------------------------
    def list_pages(
        self,
        *,
        visibility: str = "ALL",
        offer_ids: Sequence[str] = (),
        product_ids: Sequence[int] = (),
        skus: Sequence[int] = (),
        limit: int | None = None,
        read_ahead: bool = False,
    ) -> Iterator[list[ProductListItem]]:
        """Pages of ``/v3/product/list`` (1000 a page). ``visibility`` ``ALL`` leaves out
        archived products (Ozon's rule); ``ARCHIVED`` lists only them. One id filter at
        a time; more than 1000 ids are walked 1000 at a time. Each answer is read from
        its bytes into the models in one pass (``ProductListAnswer``). ``read_ahead``:
        the next page is asked for before this one is read (its ``last_id`` alone read
        first), for a caller that reads every page: one that stops early has asked for
        one page more. The first page is asked for while pydantic's machinery and the
        list's models are imported (in a thread; that first import takes about a round
        trip)."""
        models = in_background(_list_parser)

        def parse(content: bytes) -> Any:
            return models.result()(content)

        groups: list[tuple[str, list[str]]] = []
        if offer_ids:
            groups = [("offer_id", c) for c in chunked(list(offer_ids), INFO_MAX_IDS)]
        elif product_ids:
            groups = [("product_id", c) for c in chunked(_ids(product_ids), INFO_MAX_IDS)]
        elif skus:
            groups = [("skus", c) for c in chunked(_ids(skus), INFO_MAX_IDS)]
        for key, values in groups or [("", [])]:
            flt: dict[str, Any] = {"visibility": visibility}
            if key:
                flt[key] = values
            for page in self._pages(
                "product.list",
                {"filter": flt},
                items_path="result.items",
                limit=limit,
                parse=parse,
                read_ahead=read_ahead,
            ):
                if page.items:
                    yield page.items

    def list(self, **kw: Any) -> Iterator[ProductListItem]:
        for page in self.list_pages(**kw):
            yield from page

    def info(
        self,
        *,
        product_ids: Sequence[int] = (),
        offer_ids: Sequence[str] = (),
        skus: Sequence[int] = (),
        unknown_fields: bool = True,
    ) -> Iterator[ProductInfo]:
        """Details of the given products, ≤1000 ids a request (unknown ids are simply
        absent from the answer). Each answer is read from its bytes into the models in
        one pass. ``unknown_fields=False`` skips the fields ``ProductInfo`` does not
        name instead of keeping them (``model_extra`` stays empty): for callers that read
        only the named fields, such as ``listing list``, where building the other ~45
        fields of every card was most of its time."""
        from ozonctl.client.models.common import adapter
        from ozonctl.client.models.products import ProductInfoList

        validate = adapter(ProductInfoList).validate_json

        def parse(content: bytes) -> ProductInfoList:
            answer: ProductInfoList = validate(content, extra=None if unknown_fields else "ignore")
            return answer

        tagged: list[tuple[str, str]] = [
            *(("product_id", str(v)) for v in product_ids),
            *(("offer_id", v) for v in offer_ids),
            *(("sku", str(v)) for v in skus),
        ]

        def read(chunk: list[tuple[str, str]]) -> list[ProductInfo]:
            body: dict[str, list[str]] = {}
            for key, value in chunk:
                body.setdefault(key, []).append(value)
            answer: ProductInfoList = self._call("product.info", body, parse=parse)
            return answer.items or []

        return self._side_by_side(read, chunked(tagged, INFO_MAX_IDS))

    def stocks(
        self,
        *,
        product_ids: Sequence[int] = (),
        offer_ids: Sequence[str] = (),
        visibility: str = "ALL",
    ) -> Iterator[ProductStocks]:
        """``/v4/product/info/stocks`` (cursor pages of 1000)."""
        from ozonctl.client.models.products import ProductStocks

        for raw in self._filtered("product.stocks", product_ids, offer_ids, visibility):
            yield ProductStocks.model_validate(raw)

    def stocks_by_warehouse(
        self, *, offer_ids: Sequence[str] = (), skus: Sequence[int] = ()
    ) -> Iterator[WarehouseStock]:
        """FBS stock per warehouse (``/v2/product/info/stocks-by-warehouse/fbs``). The
        method needs offer ids or SKUs (≤1000 a request): with neither, every product on
        sale is asked for, a page of ``/v3/product/list`` at a time."""
        from ozonctl.client.models.products import WarehouseStock

        groups: Iterable[dict[str, Any]] = [
            *({"offer_id": c} for c in chunked(list(offer_ids), INFO_MAX_IDS)),
            *({"sku": c} for c in chunked(_ids(skus), INFO_MAX_IDS)),
        ]
        if not offer_ids and not skus:
            groups = ({"offer_id": [p.offer_id for p in page]} for page in self.list_pages())
        for body in groups:
            for raw in self._items("product.stocks_by_warehouse", body, items_path="products"):
                yield WarehouseStock.model_validate(raw)

    def prices(
        self,
        *,
        product_ids: Sequence[int] = (),
        offer_ids: Sequence[str] = (),
        visibility: str = "ALL",
    ) -> Iterator[ProductPrice]:
        """``/v5/product/info/prices`` (cursor pages of 1000)."""
        from ozonctl.client.models.products import ProductPrice

        for raw in self._filtered("product.prices", product_ids, offer_ids, visibility):
            yield ProductPrice.model_validate(raw)

    def promotions(self, *, product_ids: Sequence[int]) -> Iterator[PricePromotions]:
        """The promotions each product is in (``/v5/product/info/prices``, 1000 ids a
        request), each answer's bytes read into ``PricePromotions`` in one pass: the
        prices and commissions are skipped, not built (``listing archive`` reads 10,000
        products' promotions while it archives them)."""
        from ozonctl.client.models.common import adapter
        from ozonctl.client.models.products import PricePromotionsAnswer

        validate = adapter(PricePromotionsAnswer).validate_json

        def parse(content: bytes) -> Any:
            return validate(content, extra="ignore")

        return self._filtered("product.prices", product_ids, (), "ALL", parse=parse)

    def _filtered(
        self,
        key: str,
        product_ids: Sequence[int],
        offer_ids: Sequence[str],
        visibility: str,
        parse: Callable[[bytes], Any] | None = None,
    ) -> Iterator[Any]:
        """Items of a ``{filter: {product_id|offer_id, visibility}}`` cursor walk, ids
        1000 at a time (``parse``: as ``iter_pages`` takes it)."""

        def walk(group: tuple[str, list[str]]) -> list[Any]:
            field_name, values = group
            flt: dict[str, Any] = {"visibility": visibility}
            if field_name:
                flt[field_name] = values
            return list(self._items(key, {"filter": flt}, items_path="items", parse=parse))

        groups = _filter_groups(product_ids, offer_ids)
        if groups == [("", [])]:  # the whole catalogue: one walk, streamed
            body = {"filter": {"visibility": visibility}}
            return self._items(key, body, items_path="items", parse=parse)
        return self._side_by_side(walk, groups)

    # -- writes ----------------------------------------------------------------------
    def archive(
        self,
        product_ids: Iterable[int],
        *,
        before_batch: BeforeBatch | None = None,
        on_done: OnDone | None = None,
    ) -> BatchReport[int]:
        """``/v1/product/archive`` in batches of 100; each outcome is the batch's
        ``{result: bool}``: read ``is_archived`` back for the per-item truth.
        ``product_ids`` may be lazy (``run_batches``: drawn as the batches are sent)."""
        return self._batches(
            "product.archive",
            product_ids,
            lambda batch: {"product_id": batch},
            before_batch=before_batch,
            on_done=on_done,
        )

    def unarchive(
        self,
        product_ids: Iterable[int],
        *,
        before_batch: BeforeBatch | None = None,
        on_done: OnDone | None = None,
    ) -> BatchReport[int]:
        """``/v1/product/unarchive`` in batches of 100 (Ozon restores at most 100
        auto-archived products a day; manually archived ones are unlimited)."""
        return self._batches(
            "product.unarchive",
            product_ids,
            lambda batch: {"product_id": batch},
            before_batch=before_batch,
            on_done=on_done,
        )

    def delete(self, offer_ids: Sequence[str]) -> ItemResults[str, DeleteStatus]:
        """``/v2/products/delete`` (archived products without SKU), 500 a request."""
        from ozonctl.client.models.products import DeleteStatus

        report = self._batches(
            "product.delete",
            list(offer_ids),
            lambda batch: {"products": [{"offer_id": o} for o in batch]},
        )
        return _per_item(report, "status", _validator(DeleteStatus))

    def set_stocks(
        self,
        items: Sequence[StockUpdate],
        *,
        before_batch: BeforeBatch | None = None,
        on_done: OnDone | None = None,
    ) -> ItemResults[StockUpdate, StockUpdateResult]:
        """``/v2/products/stocks``: ≤100 product–warehouse pairs a request, 80 requests a
        minute (the limiter keeps to it); one result per pair."""
        from ozonctl.client.models.products import StockUpdateResult

        report = self._batches(
            "product.stocks.update",
            list(items),
            lambda batch: {"stocks": [i.body() for i in batch]},
            before_batch=before_batch,
            on_done=on_done,
        )
        return _per_item(report, "result", _validator(StockUpdateResult))

    def set_prices(
        self,
        items: Sequence[PriceUpdate],
        *,
        before_batch: BeforeBatch | None = None,
        on_done: OnDone | None = None,
    ) -> ItemResults[PriceUpdate, PriceUpdateResult]:
        """``/v1/product/import/prices``: ≤1000 prices a request; one result each."""
        from ozonctl.client.models.products import PriceUpdateResult

        report = self._batches(
            "product.prices.update",
            list(items),
            lambda batch: {"prices": [i.body() for i in batch]},
            before_batch=before_batch,
            on_done=on_done,
        )
        return _per_item(report, "result", _validator(PriceUpdateResult))


def _filter_groups(
    product_ids: Sequence[int], offer_ids: Sequence[str]
) -> list[tuple[str, list[str]]]:
    if product_ids:
        return [("product_id", c) for c in chunked(_ids(product_ids), INFO_MAX_IDS)]
    if offer_ids:
        return [("offer_id", c) for c in chunked(list(offer_ids), INFO_MAX_IDS)]
    return [("", [])]


def _validator(model: type[R]) -> Callable[[Any], list[R]]:
    """Reads a list of ``model`` (a pydantic model) from parsed JSON."""
    from ozonctl.client.models.common import adapter

    validate: Callable[[Any], list[R]] = adapter(list[model]).validate_python  # type: ignore[valid-type]
    return validate


def _per_item(
    report: BatchReport[T], key: str, parse: Callable[[Any], list[R]]
) -> ItemResults[T, R]:
    """The batches' answers: ``parse`` of each answer's ``key`` list, or the batch's
    error for each of its items."""
    out: ItemResults[T, R] = ItemResults(requests=report.requests)
    for outcome in report.outcomes:
        if outcome.error is not None:
            out.failed.extend((item, outcome.error) for item in outcome.items)
            continue
        raw = outcome.response if isinstance(outcome.response, dict) else {}
        out.results.extend(parse(raw.get(key) or []))
    for batch in report.not_sent:
        out.not_sent.extend(batch)
    return out
