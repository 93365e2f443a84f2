"""Promotions: Ozon's actions, their products and candidates, joining and leaving, the
auto-add lists, buyers' discount requests and the seller's own promotions.

Every method reads and sends the pydantic models of :mod:`ozonctl.client.models.promos`
(imported when first called): promotions are :class:`Action`, their products and
candidates :class:`ActionProduct`; a batch write's outcomes carry the parsed answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ozonctl.client.batching import BatchOutcome, BatchReport
from ozonctl.client.resources._base import Resource
from ozonctl.concurrency import in_background, pipeline

if TYPE_CHECKING:
    from ozonctl.client.models.promos import (
        Action,
        ActionProduct,
        ApproveTask,
        AutoAddProduct,
        AutoAddUpdate,
        DeclineTask,
        DiscountTask,
        ProductUpdate,
        SellerAction,
        SellerActionProduct,
        SellerActionSpec,
        SellerProductAdd,
    )


class PromosResource(Resource):
    # --- Ozon promotions ---------------------------------------------------------------
    def list_actions(self) -> list[Action]:
        """Every Ozon promotion open to the shop (one call, no pages). The request goes
        out first, and while Ozon answers the models are imported and their validators
        built (an empty list validated: they are built on first use, ``defer_build``):
        the first import of pydantic's machinery and the promotion models, and the
        building, take about a round trip."""
        answer = in_background(self._call, "actions.list")
        from ozonctl.client.models.promos import ActionsList

        ActionsList.model_validate({"result": []})
        return ActionsList.model_validate(answer.result()).result

    def get_action(self, action_id: int) -> Action | None:
        return next((a for a in self.list_actions() if a.id == action_id), None)

    def products(self, action_id: int) -> Iterator[ActionProduct]:
        """Products in the promotion, 100 a page (string ``last_id``)."""
        return self._products("actions.products", action_id)

    def candidates(self, action_id: int) -> Iterator[ActionProduct]:
        """Products that may join the promotion, 100 a page (their ``action_price`` may
        be 0: see :class:`ActionProduct`)."""
        return self._products("actions.candidates", action_id)

    def _products(self, key: str, action_id: int) -> Iterator[ActionProduct]:
        # The pages come one after another (each names the next): page k+1 is asked for
        # as soon as page k's ``last_id`` is read, before page k is parsed, while the
        # caller works on page k-1. Every caller walks to the end.
        from ozonctl.client.models.common import adapter
        from ozonctl.client.models.promos import ActionProduct

        parse = adapter(list[ActionProduct]).validate_python
        pages = self._pages(key, {"action_id": action_id}, read_ahead=True)
        for products in pipeline(pages, lambda page: parse(page.items)):
            yield from products

    def update_products(
        self,
        action_id: int,
        items: Sequence[ProductUpdate],
        *,
        before_batch: Callable[[int, list[ProductUpdate]], None] | None = None,
        on_done: Callable[[BatchOutcome[ProductUpdate]], None] | None = None,
    ) -> BatchReport[ProductUpdate]:
        """Add or re-price products, ≤1000 a request; each outcome's ``response`` is an
        :class:`UpdateProductsResult`."""
        from ozonctl.client.models.promos import UpdateProductsRequest, UpdateProductsResult

        def body(batch: list[ProductUpdate]) -> dict[str, Any]:
            return UpdateProductsRequest(action_id=action_id, products=batch).body()

        report = self._batches(
            "actions.products.update",
            items,
            body,
            before_batch=before_batch,
            on_done=_parsing(UpdateProductsResult.model_validate, on_done),
        )
        return report

    def deactivate(
        self,
        action_id: int,
        product_ids: Sequence[int],
        *,
        before_batch: Callable[[int, list[int]], None] | None = None,
        on_done: Callable[[BatchOutcome[int]], None] | None = None,
    ) -> BatchReport[int]:
        """Remove products, ≤1000 a request; each outcome's ``response`` is the list of
        the ids Ozon removed (only those)."""
        from ozonctl.client.models.promos import DeactivateRequest

        def body(batch: list[int]) -> dict[str, Any]:
            return DeactivateRequest(action_id=action_id, product_ids=batch).body()

        return self._batches(
            "actions.products.deactivate",
            product_ids,
            body,
            before_batch=before_batch,
            on_done=_parsing(_ids, on_done),
        )

    # --- auto-adding ---------------------------------------------------------------------
    def auto_add_products(self, action_id: int, auto_add_date: str) -> Iterator[AutoAddProduct]:
        """Products Ozon will add to the promotion on ``auto_add_date`` (100 a page)."""
        from ozonctl.client.models.promos import AutoAddProduct

        body = {"action_id": action_id, "auto_add_date": auto_add_date}
        for raw in self._items("actions.autoadd.list", body):
            yield AutoAddProduct.model_validate(raw)

    def auto_add_candidates(self, action_id: int, auto_add_date: str) -> Iterator[AutoAddProduct]:
        """Products that may be put on the promotion's auto-add list of ``auto_add_date``
        (100 a page)."""
        from ozonctl.client.models.promos import AutoAddProduct

        body = {"action_id": action_id, "auto_add_date": auto_add_date}
        for raw in self._items("actions.autoadd.candidates", body):
            yield AutoAddProduct.model_validate(raw)

    def auto_add_update(
        self,
        action_id: int,
        auto_add_date: str,
        items: Sequence[AutoAddUpdate],
        *,
        before_batch: Callable[[int, list[AutoAddUpdate]], None] | None = None,
        on_done: Callable[[BatchOutcome[AutoAddUpdate]], None] | None = None,
    ) -> BatchReport[AutoAddUpdate]:
        """Put products on (or re-price them on) the auto-add list of one date, ≤1000 a
        request; each outcome's ``response`` is an :class:`AutoAddUpdateResult`."""
        from ozonctl.client.models.promos import AutoAddUpdateRequest, AutoAddUpdateResult

        def body(batch: list[AutoAddUpdate]) -> dict[str, Any]:
            return AutoAddUpdateRequest(
                action_id=action_id, auto_add_date=auto_add_date, products=batch
            ).body()

        return self._batches(
            "actions.autoadd.update",
            items,
            body,
            before_batch=before_batch,
            on_done=_parsing(AutoAddUpdateResult.model_validate, on_done),
        )

    def auto_add_delete(
        self,
        action_id: int,
        auto_add_date: str,
        product_ids: Sequence[int],
        *,
        before_batch: Callable[[int, list[int]], None] | None = None,
        on_done: Callable[[BatchOutcome[int]], None] | None = None,
    ) -> BatchReport[int]:
        """Take products off the auto-add list of one date, ≤1000 a request; each
        outcome's ``response`` is the list of the ids Ozon took off."""
        from ozonctl.client.models.promos import AutoAddDeleteRequest

        def body(batch: list[int]) -> dict[str, Any]:
            return AutoAddDeleteRequest(
                action_id=action_id, auto_add_date=auto_add_date, product_ids=batch
            ).body()

        return self._batches(
            "actions.autoadd.delete",
            product_ids,
            body,
            before_batch=before_batch,
            on_done=_parsing(_ids, on_done),
        )

    # --- buyers' discount requests -----------------------------------------------------------
    def discount_tasks(self, status: str = "ALL") -> Iterator[DiscountTask]:
        from ozonctl.client.models.promos import DiscountTask

        for raw in self._items("actions.discounts.list", {"status": status}, next_from_item="id"):
            yield DiscountTask.model_validate(raw)

    def approve_tasks(self, tasks: Sequence[ApproveTask]) -> BatchReport[ApproveTask]:
        from ozonctl.client.models.promos import TasksResult

        return self._batches(
            "actions.discounts.approve",
            tasks,
            lambda batch: {"tasks": [t.body() for t in batch]},
            on_done=_parsing(TasksResult.model_validate, None, key="result"),
        )

    def decline_tasks(self, tasks: Sequence[DeclineTask]) -> BatchReport[DeclineTask]:
        from ozonctl.client.models.promos import TasksResult

        return self._batches(
            "actions.discounts.decline",
            tasks,
            lambda batch: {"tasks": [t.body() for t in batch]},
            on_done=_parsing(TasksResult.model_validate, None, key="result"),
        )

    # --- the seller's own promotions ----------------------------------------------------------
    def seller_actions(self, action_ids: Iterable[int] = ()) -> Iterator[SellerAction]:
        from ozonctl.client.models.promos import SellerAction

        body: dict[str, Any] = {}
        ids = [str(i) for i in action_ids]
        if ids:
            body["action_ids"] = ids
        for raw in self._items("seller_actions.list", body):
            yield SellerAction.model_validate(raw)

    def seller_action_products(self, action_id: int) -> Iterator[SellerActionProduct]:
        from ozonctl.client.models.promos import SellerActionProduct

        for raw in self._items("seller_actions.products", {"action_id": action_id}):
            yield SellerActionProduct.model_validate(raw)

    def change_activity(self, action_id: int, turn_on: bool) -> None:
        from ozonctl.client.models.promos import ChangeActivityRequest

        self._call(
            "seller_actions.change_activity",
            ChangeActivityRequest(action_id=action_id, is_turn_on=turn_on).body(),
        )

    def seller_action_candidates(self, action_id: int) -> Iterator[SellerActionProduct]:
        """Products that may join one of the seller's promotions (cursor, 100 a page)."""
        from ozonctl.client.models.promos import SellerActionProduct

        for raw in self._items("seller_actions.candidates", {"action_id": action_id}):
            yield SellerActionProduct.model_validate(raw)

    def create_seller_action(self, kind: str, spec: SellerActionSpec) -> int:
        """Create a promotion of mechanic ``kind`` (``SELLER_ACTION_KINDS``); its id."""
        from ozonctl.client.models.promos import CREATE_FIELDS, CreatedAction

        raw = self._call(f"seller_actions.create.{kind}", spec.fields(CREATE_FIELDS[kind]))
        return CreatedAction.model_validate(raw).action_id

    def update_seller_action(self, kind: str, action_id: int, spec: SellerActionSpec) -> None:
        """Replace the settings of a promotion of mechanic ``kind`` (empty answer)."""
        from ozonctl.client.models.promos import UPDATE_FIELDS

        body = {"action_id": action_id, "action_parameters": spec.fields(UPDATE_FIELDS[kind])}
        self._call(f"seller_actions.update.{kind}", body)

    def archive_seller_action(self, action_id: int) -> None:
        self._call("seller_actions.archive", {"action_id": action_id})

    def voucher_codes_file(self, action_id: int) -> str:
        """The link to the CSV of a voucher promotion's codes."""
        from ozonctl.client.models.promos import VoucherFile

        return VoucherFile.model_validate(
            self._call("seller_actions.voucher_codes", {"action_id": action_id})
        ).file

    def seller_add(
        self,
        action_id: int,
        products: Sequence[SellerProductAdd],
        *,
        before_batch: Callable[[int, list[SellerProductAdd]], None] | None = None,
        on_done: Callable[[BatchOutcome[SellerProductAdd]], None] | None = None,
    ) -> BatchReport[SellerProductAdd]:
        """Add products, ≤100 a request. Ozon answers an empty body: no outcome per
        product; the caller reads the promotion back to learn what was applied."""
        return self._batches(
            "seller_actions.add",
            products,
            lambda batch: {"action_id": action_id, "products": [p.body() for p in batch]},
            before_batch=before_batch,
            on_done=on_done,
        )

    def seller_delete(
        self,
        action_id: int,
        skus: Sequence[int],
        *,
        before_batch: Callable[[int, list[int]], None] | None = None,
        on_done: Callable[[BatchOutcome[int]], None] | None = None,
    ) -> BatchReport[int]:
        """Remove products by SKU, ≤100 a request; an empty answer, as for adding."""
        return self._batches(
            "seller_actions.delete",
            skus,
            lambda batch: {"action_id": action_id, "skus": [str(s) for s in batch]},
            before_batch=before_batch,
            on_done=on_done,
        )


def _ids(raw: Any) -> list[int]:
    """The ids of a deactivate or auto-add delete answer (``IdsResult``)."""
    from ozonctl.client.models.promos import IdsResult

    return IdsResult.model_validate(raw).product_ids or []


def _parsing(
    parse: Callable[[Any], Any],
    on_done: Callable[[BatchOutcome[Any]], None] | None,
    *,
    key: str | None = None,
) -> Callable[[BatchOutcome[Any]], None]:
    """Replace each successful outcome's raw response by ``parse(raw)`` (a model's
    ``model_validate``, the ids of an answer) before ``on_done``."""

    def hook(outcome: BatchOutcome[Any]) -> None:
        if outcome.ok:
            raw = outcome.response if isinstance(outcome.response, dict) else {}
            outcome.response = parse(raw.get(key) or {} if key else raw)
        if on_done is not None:
            on_done(outcome)

    return hook
