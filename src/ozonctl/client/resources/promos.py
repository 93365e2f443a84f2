"""Promotions: Ozon's actions, their products and candidates, joining and leaving, the
auto-add lists, buyers' discount requests and the seller's own promotions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ozonctl.client.batching import BatchOutcome, BatchReport
from ozonctl.client.models.promos import (
    Action,
    ActionProduct,
    ActionsList,
    ApproveTask,
    AutoAddDeleteRequest,
    AutoAddProduct,
    ChangeActivityRequest,
    DeactivateRequest,
    DeclineTask,
    DiscountTask,
    IdsResult,
    ProductUpdate,
    SellerAction,
    SellerActionProduct,
    TasksResult,
    UpdateProductsRequest,
    UpdateProductsResult,
)
from ozonctl.client.resources._base import Resource


class PromosResource(Resource):
    # --- Ozon promotions ---------------------------------------------------------------
    def list_actions(self) -> list[Action]:
        """Every Ozon promotion open to the shop (one call, no pages)."""
        return ActionsList.model_validate(self._call("actions.list")).result

    def get_action(self, action_id: int) -> Action | None:
        return next((a for a in self.list_actions() if a.id == action_id), None)

    def products(self, action_id: int) -> Iterator[ActionProduct]:
        """Products in the promotion, 100 a page (string ``last_id``)."""
        for raw in self._items("actions.products", {"action_id": action_id}):
            yield ActionProduct.model_validate(raw)

    def candidates(self, action_id: int) -> Iterator[ActionProduct]:
        """Products that may join the promotion, 100 a page."""
        for raw in self._items("actions.candidates", {"action_id": action_id}):
            yield ActionProduct.model_validate(raw)

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

        def body(batch: list[ProductUpdate]) -> dict[str, Any]:
            return UpdateProductsRequest(action_id=action_id, products=batch).body()

        report = self._batches(
            "actions.products.update",
            items,
            body,
            before_batch=before_batch,
            on_done=_parsing(UpdateProductsResult, on_done),
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
        """Remove products, ≤1000 a request; each outcome's ``response`` is an
        :class:`IdsResult` naming only the ids Ozon removed."""

        def body(batch: list[int]) -> dict[str, Any]:
            return DeactivateRequest(action_id=action_id, product_ids=batch).body()

        return self._batches(
            "actions.products.deactivate",
            product_ids,
            body,
            before_batch=before_batch,
            on_done=_parsing(IdsResult, on_done),
        )

    # --- auto-adding ---------------------------------------------------------------------
    def auto_add_products(self, action_id: int, auto_add_date: str) -> Iterator[AutoAddProduct]:
        """Products Ozon will add to the promotion on ``auto_add_date`` (100 a page)."""
        body = {"action_id": action_id, "auto_add_date": auto_add_date}
        for raw in self._items("actions.autoadd.list", body):
            yield AutoAddProduct.model_validate(raw)

    def auto_add_delete(
        self, action_id: int, auto_add_date: str, product_ids: Sequence[int]
    ) -> BatchReport[int]:
        """Take products off the auto-add list of one date, ≤1000 a request."""

        def body(batch: list[int]) -> dict[str, Any]:
            return AutoAddDeleteRequest(
                action_id=action_id, auto_add_date=auto_add_date, product_ids=batch
            ).body()

        return self._batches(
            "actions.autoadd.delete", product_ids, body, on_done=_parsing(IdsResult, None)
        )

    # --- buyers' discount requests -----------------------------------------------------------
    def discount_tasks(self, status: str = "ALL") -> Iterator[DiscountTask]:
        for raw in self._items("actions.discounts.list", {"status": status}, next_from_item="id"):
            yield DiscountTask.model_validate(raw)

    def approve_tasks(self, tasks: Sequence[ApproveTask]) -> BatchReport[ApproveTask]:
        return self._batches(
            "actions.discounts.approve",
            tasks,
            lambda batch: {"tasks": [t.body() for t in batch]},
            on_done=_parsing(TasksResult, None, key="result"),
        )

    def decline_tasks(self, tasks: Sequence[DeclineTask]) -> BatchReport[DeclineTask]:
        return self._batches(
            "actions.discounts.decline",
            tasks,
            lambda batch: {"tasks": [t.body() for t in batch]},
            on_done=_parsing(TasksResult, None, key="result"),
        )

    # --- the seller's own promotions ----------------------------------------------------------
    def seller_actions(self, action_ids: Iterable[int] = ()) -> Iterator[SellerAction]:
        body: dict[str, Any] = {}
        ids = [str(i) for i in action_ids]
        if ids:
            body["action_ids"] = ids
        for raw in self._items("seller_actions.list", body):
            yield SellerAction.model_validate(raw)

    def seller_action_products(self, action_id: int) -> Iterator[SellerActionProduct]:
        for raw in self._items("seller_actions.products", {"action_id": action_id}):
            yield SellerActionProduct.model_validate(raw)

    def change_activity(self, action_id: int, turn_on: bool) -> None:
        self._call(
            "seller_actions.change_activity",
            ChangeActivityRequest(action_id=action_id, is_turn_on=turn_on).body(),
        )


def _parsing(
    model: Any,
    on_done: Callable[[BatchOutcome[Any]], None] | None,
    *,
    key: str | None = None,
) -> Callable[[BatchOutcome[Any]], None]:
    """Replace each successful outcome's raw response by ``model`` before ``on_done``."""

    def hook(outcome: BatchOutcome[Any]) -> None:
        if outcome.ok:
            raw = outcome.response if isinstance(outcome.response, dict) else {}
            outcome.response = model.model_validate(raw.get(key) or {} if key else raw)
        if on_done is not None:
            on_done(outcome)

    return hook
