"""The lean promotion types: pages of products, the promotions list and the ids of a
deactivate answer read by hand exactly as the pydantic models read them (the same types,
the same Decimal digits), every other shape read by those models or refused with their
``ValidationError``, and no pydantic on import."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ozonctl.client.models import convert
from ozonctl.client.models.common import Money, _to_decimal, _to_int, _to_moment, adapter
from ozonctl.client.models.promo_lean import (
    Amount,
    PromoAction,
    PromoProduct,
    _action,
    _ids,
    _products,
    money,
    parse_actions,
    parse_ids,
    parse_products,
)
from ozonctl.client.models.promos import Action, ActionProduct, IdsResult
from ozonctl.client.models.promos import money as model_money

# -- real pages (the sandbox's answers, trimmed) ----------------------------------------

PRODUCTS_PAGE = json.loads(
    '{"products":[{"id":801000049,"price":{"amount":"339.00","currency":"RUB"},'
    '"action_price":{"amount":"279.00","currency":"RUB"},"max_action_price":{"amount":'
    '"281.00","currency":"RUB"},"alert_max_action_price":{"amount":"266.95","currency":'
    '"RUB"},"alert_max_action_price_failed":true,"marketplace_seller_price":{"amount":'
    '"279.00","currency":"RUB"},"min_seller_price":{"amount":"293.00","currency":"RUB"},'
    '"price_min_elastic":{"amount":"0.00","currency":"RUB"},"price_max_elastic":{"amount":'
    '"0.00","currency":"RUB"},"current_boost":0.0,"min_boost":0.0,"max_boost":0.0,'
    '"min_stock":0,"recommended_stock":0,"is_quarantined":false,"website_prices":{"price":'
    '{"amount":"279.00","currency":"RUB"},"prices_by_schema":{}},"add_mode":"SELLER",'
    '"stock":0},{"id":801000070,"price":{"amount":"242.00","currency":"RUB"},'
    '"action_price":{"amount":"201.00","currency":"RUB"},"max_action_price":{"amount":'
    '"203.00","currency":"RUB"},"alert_max_action_price":{"amount":"192.85","currency":'
    '"RUB"},"alert_max_action_price_failed":true,"marketplace_seller_price":{"amount":'
    '"201.00","currency":"RUB"},"min_seller_price":{"amount":"169.00","currency":"RUB"},'
    '"price_min_elastic":{"amount":"182.70","currency":"RUB"},"price_max_elastic":{"amount":'
    '"203.00","currency":"RUB"},"current_boost":10.0,"min_boost":5.0,"max_boost":30.0,'
    '"min_stock":0,"recommended_stock":0,"is_quarantined":false,"website_prices":{"price":'
    '{"amount":"201.00","currency":"RUB"},"prices_by_schema":{}},"add_mode":"AUTO",'
    '"stock":3}],"total":275,"last_id":"WzNd"}'
)
"""A promo-code product and an elastic-boosting one of ``/v2/actions/products``."""

CANDIDATES_PAGE = json.loads(
    '{"products":[{"id":801000007,"price":{"amount":"1139.00","currency":"RUB"},'
    '"action_price":{"amount":"0.00","currency":"RUB"},"max_action_price":{"amount":'
    '"945.00","currency":"RUB"},"alert_max_action_price":{"amount":"897.75","currency":'
    '"RUB"},"alert_max_action_price_failed":false,"marketplace_seller_price":{"amount":'
    '"1139.00","currency":"RUB"},"min_seller_price":{"amount":"0.00","currency":"RUB"},'
    '"price_min_elastic":{"amount":"0.00","currency":"RUB"},"price_max_elastic":{"amount":'
    '"0.00","currency":"RUB"},"current_boost":0.0,"min_boost":0.0,"max_boost":0.0,'
    '"min_stock":0,"recommended_stock":0,"is_quarantined":false,"website_prices":{"price":'
    '{"amount":"1139.00","currency":"RUB"},"prices_by_schema":{}}}],"total":1024,'
    '"last_id":"WzJd"}'
)
"""A candidate of ``/v2/actions/candidates``: no ``add_mode`` nor ``stock``."""

ACTIONS = json.loads(
    '{"result":[{"id":71002,"title":"Эластичный бустинг","action_type":"ELASTIC_BOOSTING",'
    '"description":"Эластичный бустинг: скидка до 12 %","date_start":'
    '"2026-09-28T00:00:00.000Z","date_end":"2027-07-25T23:59:59.000Z","auto_add_dates":[],'
    '"freeze_date":"","potential_products_count":827,"participating_products_count":275,'
    '"is_participating":true,"is_voucher_action":false,"banned_products_count":1,'
    '"with_targeting":false,"order_amount":0,"discount_type":"PERCENT","discount_value":12},'
    '{"id":71003,"title":"Распродажа 11.11","action_type":"DISCOUNT","description":'
    '"Распродажа 11.11: скидка до 15 %","date_start":"2026-11-22T00:00:00.000Z","date_end":'
    '"2026-12-04T23:59:59.000Z","auto_add_dates":["2026-11-29T21:00:00.000Z",'
    '"2026-12-06T21:00:00.000Z"],"freeze_date":"0001-01-01T00:00:00Z",'
    '"potential_products_count":1024,"participating_products_count":255,"is_participating":'
    'true,"is_voucher_action":false,"banned_products_count":0,"with_targeting":false,'
    '"order_amount":1500.5,"discount_type":"PERCENT","discount_value":"15"}]}'
)
"""``GET /v1/actions``: a boosting promotion and a sale with auto-add dates."""

DEACTIVATED = json.loads('{"product_ids":["801000049",801000070]}')


# -- the reference: what the models read, as tuples -------------------------------------


def from_model(model: Any, cls: Any) -> Any:
    """A model as the lean tuple ``cls``, by its dump: a Money object's amount and
    currency as an Amount, a list as a tuple."""
    dumped = model.model_dump()
    return cls(*(lean_value(dumped[f]) for f in cls._fields))


def lean_value(value: Any) -> Any:
    if type(value) is dict:
        return Amount(value["amount"], value["currency"])
    return tuple(value) if type(value) is list else value


def products_as_model_reads(items: Any) -> list[PromoProduct]:
    return [
        from_model(p, PromoProduct) for p in adapter(list[ActionProduct]).validate_python(items)
    ]


def actions_as_model_reads(result: Any) -> list[PromoAction]:
    return [from_model(a, PromoAction) for a in adapter(list[Action]).validate_python(result)]


def typed(value: Any) -> Any:
    """Each value with its type and repr, down into tuples: ``True`` is not ``1`` here,
    nor ``Decimal("0.00")`` ``Decimal("0")``, nor a time in UTC the same time at +03:00."""
    if isinstance(value, tuple | list):
        return (type(value), [typed(v) for v in value])
    return (type(value), repr(value))


def same_or_refused_alike(lean: Any, model: Any, raw: Any) -> None:
    """``lean(raw)`` is ``model(raw)`` exactly, or both raise the same ValidationError."""
    try:
        expected = model(raw)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as got:
            lean(raw)
        assert str(got.value) == str(exc)
        return
    assert typed(lean(raw)) == typed(expected)


# -- the tuples mirror the models ---------------------------------------------------------


@pytest.mark.parametrize(("lean", "model"), [(PromoProduct, ActionProduct), (PromoAction, Action)])
def test_the_tuples_have_the_models_fields_in_order_with_their_defaults(
    lean: Any, model: Any
) -> None:
    assert lean._fields == tuple(model.model_fields)
    for name, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if name in lean._field_defaults:
            if isinstance(default, list):
                default = tuple(default)
            assert typed(lean._field_defaults[name]) == typed(default), name
        else:
            assert field.is_required(), name
    assert Amount._fields == tuple(Money.model_fields)
    assert typed(tuple(Amount())) == typed((Money().amount, Money().currency))


def test_money_is_the_models() -> None:
    assert money(None) is model_money(None) is None
    assert money(Amount(Decimal("1.50"))) == model_money(Money(amount=Decimal("1.50")))


def test_the_conversions_are_commons() -> None:
    """``common`` keeps its private names for the moved conversions."""
    assert (_to_int, _to_decimal, _to_moment) == (
        convert.to_int,
        convert.to_decimal,
        convert.to_moment,
    )


# -- real pages ---------------------------------------------------------------------------


def test_a_real_products_page() -> None:
    items = PRODUCTS_PAGE["products"]
    lean = _products(items)  # no fallback: raises if it would hand the page to pydantic
    assert typed(lean) == typed(products_as_model_reads(items))
    sale, boost = lean
    assert sale.id == 801000049 and sale.add_mode == "SELLER" and sale.stock == 0
    assert sale.price == Amount(Decimal("339.00"), "RUB")
    assert money(sale.alert_max_action_price) == Decimal("266.95")
    assert str(sale.price_min_elastic.amount) == "0.00"  # type: ignore[union-attr]
    assert (boost.current_boost, boost.min_boost, boost.max_boost) == (10, 5, 30)
    assert str(boost.max_boost) == "30.0" and boost.stock == 3 and boost.add_mode == "AUTO"
    assert not hasattr(sale, "website_prices")


def test_a_real_candidates_page() -> None:
    items = CANDIDATES_PAGE["products"]
    (cand,) = _products(items)
    assert typed([cand]) == typed(products_as_model_reads(items))
    assert cand.add_mode == "" and cand.stock == 0 and cand.id == 801000007


def test_real_promotions() -> None:
    result = ACTIONS["result"]
    lean = [_action(a) for a in result]  # no fallback
    assert typed(lean) == typed(actions_as_model_reads(result))
    boost, sale = lean
    assert boost.date_start == dt.datetime(2026, 9, 28, tzinfo=dt.UTC)
    assert boost.auto_add_dates == () and boost.freeze_date is None
    assert boost.is_boosting and boost.leave_method == "update"
    assert sale.auto_add_dates == ("2026-11-29T21:00:00.000Z", "2026-12-06T21:00:00.000Z")
    assert sale.freeze_date is None  # 0001-01-01: none
    assert (sale.order_amount, sale.discount_value) == (Decimal("1500.5"), Decimal("15"))
    assert not sale.is_boosting and sale.leave_method == "deactivate"


def test_real_deactivate_answer() -> None:
    assert _ids(DEACTIVATED) == parse_ids(DEACTIVATED) == [801000049, 801000070]
    assert parse_ids(DEACTIVATED) == IdsResult.model_validate(DEACTIVATED).product_ids
    assert parse_ids({}) == []


# -- generated products --------------------------------------------------------------------

ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
ozon_id = st.one_of(ints, ints.map(str))
ozon_text = st.text(max_size=6)
decimal_text = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.tuples(st.integers(0, 10**6), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"),
    st.sampled_from(["0", "0.00", "", " 1 ", "-0", "1e3", "1E-2", "7.", ".5"]),
)
ozon_number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), ints, decimal_text, st.just(-0.0)
)
ozon_money = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "amount": decimal_text,
            "currency": st.sampled_from(["RUB", "USD", ""]) | ozon_text,
            "extra": st.just({"x": 1}),
        },
    ),
)
MONEY_FIELDS = [f for f, a in ActionProduct.model_fields.items() if "Money" in str(a.annotation)]
ozon_product = st.fixed_dictionaries(
    {"id": ozon_id},
    optional={
        **{f: ozon_money for f in MONEY_FIELDS},
        "alert_max_action_price_failed": st.booleans(),
        "current_boost": ozon_number,
        "min_boost": ozon_number,
        "max_boost": ozon_number,
        "min_stock": ozon_id,
        "recommended_stock": ozon_id,
        "is_quarantined": st.booleans(),
        "add_mode": st.sampled_from(["AUTO", "SELLER"]) | ozon_text,
        "stock": ozon_id,
        "website_prices": st.just({"price": {"amount": "1.00"}, "prices_by_schema": {}}),
    },
)
"""Products as Ozon sends them: every field but the id may be left out; Money left out
or null, or with its amount or currency left out; extra fields."""

odd_id = st.sampled_from(
    [True, False, 5.0, -3.0, 5.5, " 12 ", "1_000", "+5", "٣", "--5", "-", "", "7\n", 10**30]
)
"""Ids the model takes (or refuses) though Ozon does not send them so."""
bad_id = st.sampled_from([None, "x", [], {}, "9" * 5000, "-" + "9" * 5000, "²"])
odd_number = st.sampled_from(
    ["NaN", "-NaN", "sNaN", "Infinity", "-inf", "1e999999", "1_000", "٣", "x", "1,5", "  "]
) | st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), True, False, None, [], {}, Decimal("1.5")]
)
odd_bool = st.sampled_from([0, 1, 1.0, "yes", "no", "true", "off", "1", None, "x", []])
odd_str = st.sampled_from([None, 2, 1.5, True, b"AUTO", [], {}])
odd_money = st.one_of(
    st.sampled_from(["x", 5, [], True, {"amount": None}, {"currency": None}, {"currency": 5}]),
    st.fixed_dictionaries({"amount": st.one_of(odd_number, ints, st.floats())}),
)
odd_field = st.one_of(
    st.fixed_dictionaries({"id": odd_id | bad_id}),
    st.sampled_from(["min_stock", "recommended_stock", "stock"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_id | bad_id})
    ),
    st.sampled_from(MONEY_FIELDS).flatmap(lambda f: st.fixed_dictionaries({f: odd_money})),
    st.sampled_from(["current_boost", "min_boost", "max_boost"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_number})
    ),
    st.sampled_from(["alert_max_action_price_failed", "is_quarantined"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_bool})
    ),
    st.fixed_dictionaries({"add_mode": odd_str}),
)
odd_product = st.one_of(
    st.tuples(ozon_product, odd_field).map(lambda t: {**t[0], **t[1]}),
    ozon_product.map(lambda p: {k: v for k, v in p.items() if k != "id"}),
    st.sampled_from([None, 5, "x", [], ActionProduct(id=3)]),
)


def pages_around(good: Any, odd: Any) -> Any:
    """Pages of ``good`` items with one ``odd`` one among them, and pages not a list."""
    return st.one_of(
        st.tuples(st.lists(good, max_size=3), odd, st.lists(good, max_size=2)).map(
            lambda t: [*t[0], t[1], *t[2]]
        ),
        st.sampled_from([None, 5, "x", {}, {"products": []}]),
        st.lists(good, max_size=2).map(tuple),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(ozon_product, max_size=6))
def test_ozon_products_are_read_by_hand_as_the_model_reads_them(items: list[Any]) -> None:
    lean = _products(items)  # no fallback
    assert typed(lean) == typed(products_as_model_reads(items))
    assert typed(parse_products(items)) == typed(lean)


@settings(max_examples=800, deadline=None)
@given(pages_around(ozon_product, odd_product))
def test_any_page_is_read_as_the_model_reads_it_or_refused_alike(items: Any) -> None:
    same_or_refused_alike(parse_products, products_as_model_reads, items)


def test_the_traps_go_to_the_model() -> None:
    """Values a naive reader would take differently from pydantic."""
    base = {"id": 1}
    for odd in [{"id": True}, {"id": 5.0}, {"id": "-5"}, {"id": " 7 "}, {"stock": "1_000"}]:
        got = parse_products([{**base, **odd}])
        assert typed(got) == typed(products_as_model_reads([{**base, **odd}]))
    assert parse_products([{"id": True}])[0].id == 1
    assert type(parse_products([{"id": True}])[0].id) is int
    assert parse_products([{"id": "-5"}])[0].id == -5
    assert str(parse_products([{"id": 1, "price": {"amount": ""}}])[0].price) == str(
        Amount(Decimal("0"), "RUB")
    )
    assert parse_products([{"id": 1, "max_boost": " 1.50 "}])[0].max_boost == Decimal("1.50")
    for bad in ["NaN", "Infinity", float("inf"), float("nan"), "sNaN", None]:
        with pytest.raises(ValidationError):
            parse_products([{"id": 1, "current_boost": bad}])
        with pytest.raises(ValidationError):
            parse_products([{"id": 1, "price": {"amount": bad}}])
    with pytest.raises(ValidationError):
        parse_products([{"price": {"amount": "1"}}])  # no id


# -- generated promotions and ids -------------------------------------------------------------

moment_text = st.one_of(
    st.sampled_from(["2026-11-17T00:00:00.000Z", "", "0001-01-01T00:00:00Z", "  "]),
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        timezones=st.none() | st.timezones() | st.just(dt.UTC),
    ).map(lambda d: d.isoformat().replace("+00:00", "Z")),
)
ozon_action = st.fixed_dictionaries(
    {"id": ozon_id},
    optional={
        "title": st.sampled_from(["Эластичный бустинг", "Распродажа"]) | ozon_text,
        "action_type": st.sampled_from(["DISCOUNT", "ELASTIC_BOOSTING", "x_boost"]) | ozon_text,
        "description": ozon_text,
        "date_start": moment_text | st.none(),
        "date_end": moment_text,
        "auto_add_dates": st.lists(moment_text, max_size=3),
        "freeze_date": moment_text,
        "potential_products_count": ozon_id,
        "participating_products_count": ozon_id,
        "is_participating": st.booleans(),
        "is_voucher_action": st.booleans(),
        "banned_products_count": ozon_id,
        "with_targeting": st.booleans(),
        "order_amount": ozon_number,
        "discount_type": ozon_text,
        "discount_value": ozon_number,
        "new_field": st.just([1]),
    },
)
odd_moment = st.sampled_from(
    ["x", "2026-13-01", "2026-11-17T25:00:00Z", "Z", 5, True, 1.5, [], {}, "2026-11-17"]
)
odd_action_field = st.one_of(
    st.fixed_dictionaries({"id": odd_id | bad_id}),
    st.sampled_from(["date_start", "date_end", "freeze_date"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_moment})
    ),
    st.fixed_dictionaries(
        {"auto_add_dates": st.one_of(odd_str, st.lists(odd_str | ozon_text, min_size=1))}
    ),
    st.sampled_from(["order_amount", "discount_value"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_number})
    ),
    st.sampled_from(["is_participating", "with_targeting"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_bool})
    ),
    st.sampled_from(["title", "action_type", "discount_type"]).flatmap(
        lambda f: st.fixed_dictionaries({f: odd_str})
    ),
    st.fixed_dictionaries({"banned_products_count": odd_id | bad_id}),
)
odd_action = st.one_of(
    st.tuples(ozon_action, odd_action_field).map(lambda t: {**t[0], **t[1]}),
    st.sampled_from([None, 5, [], Action(id=4, title="Бустинг")]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ozon_action, max_size=4))
def test_ozon_promotions_are_read_by_hand_as_the_model_reads_them(result: list[Any]) -> None:
    lean = [_action(a) for a in result]  # no fallback
    assert typed(lean) == typed(actions_as_model_reads(result))
    assert typed(parse_actions(result)) == typed(lean)
    models = adapter(list[Action]).validate_python(result)
    assert [(a.is_boosting, a.leave_method) for a in lean] == [
        (m.is_boosting, m.leave_method) for m in models
    ]


@settings(max_examples=500, deadline=None)
@given(pages_around(ozon_action, odd_action))
def test_any_promotions_list_is_read_as_the_model_reads_it_or_refused_alike(result: Any) -> None:
    same_or_refused_alike(parse_actions, actions_as_model_reads, result)


ids_answer = st.one_of(
    st.fixed_dictionaries({}, optional={"product_ids": st.lists(ozon_id, max_size=4)}),
    st.fixed_dictionaries(
        {"product_ids": st.lists(ozon_id | odd_id | bad_id, min_size=1, max_size=3)},
        optional={"rejected": st.just([])},
    ),
    st.sampled_from([None, [], "x", {"product_ids": None}, {"product_ids": "1"}]),
)


@settings(max_examples=300, deadline=None)
@given(ids_answer)
def test_any_ids_answer_is_read_as_the_model_reads_it_or_refused_alike(raw: Any) -> None:
    same_or_refused_alike(parse_ids, lambda r: IdsResult.model_validate(r).product_ids, raw)


# -- no pydantic ----------------------------------------------------------------------------


def test_reading_promotions_loads_no_pydantic() -> None:
    code = (
        "import json, sys\n"
        "from ozonctl.client.models.promo_lean import parse_actions, parse_ids, parse_products\n"
        f"page = json.loads({json.dumps(json.dumps(PRODUCTS_PAGE))})\n"
        f"actions = json.loads({json.dumps(json.dumps(ACTIONS))})\n"
        "assert parse_products(page['products'])[1].current_boost == 10\n"
        "assert parse_actions(actions['result'])[0].leave_method == 'update'\n"
        "assert parse_ids({'product_ids': ['1', 2]}) == [1, 2]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'"
        " or m.startswith('ozonctl.client.models.') and m.endswith(('common', 'promos'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
