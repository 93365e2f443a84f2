"""Promo models: Money in and out, ids as strings where the spec says so, empty dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from ozonctl.client.models.common import MoneyOut
from ozonctl.client.models.promos import (
    Action,
    ActionProduct,
    ApproveTask,
    AutoAddDeleteRequest,
    DeactivateRequest,
    DiscountTask,
    ProductUpdate,
    UpdateProductsRequest,
    UpdateProductsResult,
)

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient


@contextmanager
def ozon_client() -> Iterator[OzonClient]:
    """A client of Ozon's address, answered by the ``fake`` fixture; closed after."""
    from ozonctl.client.client import OzonClient

    client = OzonClient(client_id="1", api_key="k", base_url="https://api-seller.ozon.ru", rps=None)
    try:
        yield client
    finally:
        client.close()


def test_action_dates_and_kinds() -> None:
    a = Action.model_validate(
        {
            "id": 71002.0,
            "title": "Эластичный бустинг",
            "action_type": "ELASTIC_BOOSTING",
            "date_start": "2026-11-01T00:00:00Z",
            "freeze_date": "",
            "date_end": "0001-01-01T00:00:00Z",
            "discount_value": 12.5,
            "order_amount": 0,
            "something_new": 1,
        }
    )
    assert a.id == 71002
    assert a.date_start == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert a.freeze_date is None and a.date_end is None
    assert a.discount_value == Decimal("12.5")
    assert a.is_boosting and a.leave_method == "update"
    voucher = Action.model_validate({"id": 1, "action_type": "DISCOUNT", "is_voucher_action": True})
    assert not voucher.is_boosting and voucher.leave_method == "deactivate"
    # a boosting promotion Ozon types generically is still recognised by its title
    assert Action.model_validate({"id": 2, "title": "Максимальный бустинг"}).is_boosting


def test_action_product_money_is_exact() -> None:
    p = ActionProduct.model_validate(
        {
            "id": "801000007",
            "price": {"amount": "1499.90", "currency": "RUB"},
            "action_price": {"amount": "1274.92", "currency": "RUB"},
            "max_action_price": {"amount": "1300", "currency": "RUB"},
            "stock": "3",
        }
    )
    assert p.id == 801000007 and p.stock == 3
    assert p.price is not None and p.price.amount == Decimal("1499.90")
    assert p.action_price is not None and p.action_price.amount == Decimal("1274.92")


def test_update_body_follows_the_spec() -> None:
    body = UpdateProductsRequest(
        action_id=71001,
        products=[
            ProductUpdate(product_id=5, action_price=MoneyOut(amount=Decimal("10.10")), stock=2),
            ProductUpdate(product_id=6, action_price=MoneyOut(amount=Decimal("99"))),
        ],
    ).body()
    assert body == {
        "action_id": 71001,
        "products": [
            {"product_id": 5, "action_price": {"amount": "10.10", "currency": "RUB"}, "stock": 2},
            {"product_id": 6, "action_price": {"amount": "99", "currency": "RUB"}},
        ],
    }


def test_ids_go_as_strings_to_deactivate_and_auto_add_delete() -> None:
    assert DeactivateRequest(action_id=1, product_ids=[5, 6]).body() == {
        "action_id": 1,
        "product_ids": ["5", "6"],
    }
    body = AutoAddDeleteRequest(
        action_id=1, auto_add_date="2026-11-29T21:00:00Z", product_ids=[7]
    ).body()
    assert body["product_ids"] == ["7"] and body["auto_add_date"] == "2026-11-29T21:00:00Z"


def test_update_result_reads_string_ids() -> None:
    r = UpdateProductsResult.model_validate(
        {
            "active_product_ids": ["1"],
            "deactivated_product_ids": ["2"],
            "rejected": [{"product_id": 3, "reason": "too expensive"}],
        }
    )
    assert r.active_product_ids == [1] and r.deactivated_product_ids == [2]
    assert r.rejected[0].reason == "too expensive" and r.warnings == []


def test_discount_task_prices_and_approve_body() -> None:
    t = DiscountTask.model_validate(
        {"id": 9, "original_price": 1000.0, "requested_price": 849.9, "created_at": ""}
    )
    assert t.original_price == Decimal("1000.00") and t.requested_price == Decimal("849.90")
    assert t.created_at is None
    body = ApproveTask(
        id=9, approved_price=Decimal("849.90"), approved_quantity_min=1, approved_quantity_max=3
    ).body()
    assert body == {
        "id": 9,
        "approved_price": 849.9,
        "approved_quantity_min": 1,
        "approved_quantity_max": 3,
    }


def test_action_product_fields_ozon_may_send_as_null() -> None:
    # Ozon's document allows null for every field of a product in a promotion
    p = ActionProduct.model_validate(
        {
            "id": 801000007,
            "price": {"amount": "1499.90", "currency": "RUB"},
            "action_price": None,
            "alert_max_action_price_failed": None,
            "current_boost": None,
            "min_stock": None,
            "recommended_stock": None,
            "is_quarantined": None,
            "add_mode": None,
            "stock": None,
            "website_prices": None,
        }
    )
    assert p.action_price is None and p.price is not None
    assert not p.is_quarantined and not p.stock


def test_the_client_returns_the_models(fake: object) -> None:
    """One documented kind of type per method: the models, as pydantic made them."""
    from promo_fake import VOUCHER

    from ozonctl.client.models.promos import Action, ActionProduct

    with ozon_client() as client:
        actions = client.promos.list_actions()
        assert actions and all(type(a) is Action for a in actions)
        products = list(client.promos.products(VOUCHER))
        assert len(products) == 4 and all(type(p) is ActionProduct for p in products)
        report = client.promos.deactivate(VOUCHER, [products[0].id, 999])
        assert [o.response for o in report.outcomes] == [[products[0].id]]


def test_the_promotions_are_asked_for_before_their_models_are_imported(
    fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``/v1/actions`` goes out first; pydantic's machinery and the promotion models are
    imported while Ozon answers (the import takes about a round trip)."""
    import importlib.abc
    import sys
    import time

    asked_first: list[bool] = []

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> None:
            if name == "ozonctl.client.models.promos":
                deadline = time.monotonic() + 5
                while not fake.calls("/v1/actions") and time.monotonic() < deadline:
                    time.sleep(0.01)
                asked_first.append(bool(fake.calls("/v1/actions")))

    monkeypatch.delitem(sys.modules, "ozonctl.client.models.promos")
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    with ozon_client() as client:
        actions = client.promos.list_actions()
    assert asked_first == [True]
    assert [a.id for a in actions] == [a["id"] for a in fake.actions]


def test_the_promotion_validators_are_built_while_ozon_answers(
    fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The models' validators are built on first use (``defer_build``): an empty list is
    validated while ``/v1/actions`` is on its way, not the answer after it came."""
    import time

    from ozonctl.client.models.promos import ActionsList

    validated: list[Any] = []
    validate = ActionsList.model_validate

    def spy(cls: type[ActionsList], obj: Any, **kw: Any) -> ActionsList:
        validated.append(obj)
        return validate(obj, **kw)

    monkeypatch.setattr(ActionsList, "model_validate", classmethod(spy))
    built_before_the_answer: list[bool] = []
    answer = fake.answer

    def held(path: str, body: dict[str, Any]) -> Any:
        if path == "/v1/actions":
            deadline = time.monotonic() + 5
            while not validated and time.monotonic() < deadline:
                time.sleep(0.01)
            built_before_the_answer.append(bool(validated))
        return answer(path, body)

    monkeypatch.setattr(fake, "answer", held)
    with ozon_client() as client:
        actions = client.promos.list_actions()
    assert built_before_the_answer == [True]
    assert validated[0] == {"result": []} and len(actions) == len(fake.actions)


@pytest.mark.parametrize("method", ["products", "candidates"])
def test_a_promotion_s_pages_are_walked_reading_ahead(
    fake: Any, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Every caller walks a promotion's products to the end, so each next page is asked
    for as soon as the page before names it (``iter_pages(keys=...)``), not after that
    page was read and validated."""
    # was: page k+1 was asked for after page k was read, while the thread validating
    # page k held the interpreter: 5-6 ms on each of the 50 steps of a 5,000-product walk
    from promo_fake import VOUCHER

    from ozonctl.client.resources import _base

    walks: list[bool] = []
    iter_pages = _base.iter_pages

    def spy(*args: Any, **kw: Any) -> Any:
        walks.append(kw.get("keys") is not None)
        return iter_pages(*args, **kw)

    monkeypatch.setattr(_base, "iter_pages", spy)
    with ozon_client() as client:
        got = list(getattr(client.promos, method)(VOUCHER))
    assert walks == [True]
    assert got or method == "candidates"
