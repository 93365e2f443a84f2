"""The lean ``/v2/products/stocks`` types: the same bodies as the pydantic request model
they replace, the same results as the pydantic response model for every answer (read
by hand for Ozon's shapes, by that model for any other), and no pydantic on import."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ozonctl.client.batching import BatchOutcome, BatchReport
from ozonctl.client.errors import APIError
from ozonctl.client.models.common import Strict, adapter
from ozonctl.client.models.products import ItemError, StockUpdateResultModel
from ozonctl.client.models.stock_updates import (
    StockError,
    StockUpdate,
    StockUpdateResult,
    _parse,
    parse_results,
)
from ozonctl.client.resources.products import ProductsResource


class OldStockUpdate(Strict):
    """The pydantic request model ``StockUpdate`` was."""

    product_id: int
    warehouse_id: int
    stock: int
    offer_id: str | None = None


def plain(results: list[Any]) -> list[tuple[Any, ...]]:
    """Lean or pydantic results as comparable tuples."""
    return [
        (
            r.product_id,
            r.warehouse_id,
            r.offer_id,
            r.updated,
            [(e.code, e.message) for e in r.errors],
        )
        for r in results
    ]


def as_model_reads(items: Any) -> list[tuple[Any, ...]]:
    """``items`` as the pydantic response model reads them."""
    return plain(adapter(list[StockUpdateResultModel]).validate_python(items))


def typed(rows: list[tuple[Any, ...]]) -> list[list[tuple[type, Any]]]:
    """Each value with its type: ``True`` is not ``1`` here."""
    return [[(type(v), v) for v in row] for row in rows]


# -- request bodies --------------------------------------------------------------------

ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@settings(max_examples=200, deadline=None)
@given(pid=ints, wh=ints, stock=ints, offer=st.none() | st.text(max_size=8))
def test_body_is_the_pydantic_models_body(pid: int, wh: int, stock: int, offer: str | None) -> None:
    lean = StockUpdate(pid, wh, stock, offer)
    old = OldStockUpdate(product_id=pid, warehouse_id=wh, stock=stock, offer_id=offer)
    assert lean.body() == old.body()
    assert list(lean.body()) == list(old.body())  # the same key order, so the same JSON


def test_an_update_and_its_result_begin_with_the_pair() -> None:
    """``send_stock`` keys both by ``itemgetter(0, 1)``."""
    pair = ("product_id", "warehouse_id")
    assert StockUpdate._fields[:2] == StockUpdateResult._fields[:2] == pair


def test_stock_update_refuses_unknown_fields_and_keeps_keywords() -> None:
    assert StockUpdate(product_id=1, warehouse_id=2, stock=3) == StockUpdate(1, 2, 3)
    with pytest.raises(TypeError):
        StockUpdate(product_id=1, warehouse_id=2, stock=3, sku=4)  # type: ignore[call-arg]


# -- results ---------------------------------------------------------------------------

ozon_id = st.one_of(ints, ints.map(str))
ozon_text = st.text(max_size=6)
ozon_error = st.fixed_dictionaries(
    {}, optional={"code": ozon_text, "message": ozon_text, "details": st.just([])}
)
ozon_result = st.fixed_dictionaries(
    {},
    optional={
        "product_id": ozon_id,
        "warehouse_id": ozon_id,
        "offer_id": ozon_text,
        "updated": st.booleans(),
        "errors": st.lists(ozon_error, max_size=3),
        "sku": ints,
    },
)
"""Results as Ozon sends them: ids as numbers or strings, any field left out, extra
fields."""

lax_id = st.sampled_from([True, 12.0, -3.0, " 12 ", "1_000", "+5", "٣", "7\n", "\x0b7", 10**30])
"""Ids the model takes though Ozon does not send them so."""
bad_id = st.sampled_from([None, 1.5, "", "-", "--5", "²", "5\x1c", "x", [], {}])
lax_bool = st.sampled_from([0, 1, 1.0, "yes", "no", "true", "off", "1", "t"])
bad_value = st.sampled_from([None, 2, "x", [], {}, 1.5, False])
odd_error = st.one_of(
    bad_value,
    st.fixed_dictionaries({}, optional={"code": bad_value, "message": bad_value}),
)
odd_field = st.one_of(
    st.fixed_dictionaries({"product_id": st.one_of(lax_id, bad_id, st.text(max_size=3))}),
    st.fixed_dictionaries({"warehouse_id": st.one_of(lax_id, bad_id)}),
    st.fixed_dictionaries({"offer_id": bad_value}),
    st.fixed_dictionaries({"updated": st.one_of(lax_bool, bad_value)}),
    st.fixed_dictionaries(
        {"errors": st.one_of(bad_value, st.lists(odd_error, min_size=1, max_size=2))}
    ),
)
odd_result = st.one_of(
    st.tuples(ozon_result, odd_field).map(lambda t: {**t[0], **t[1]}),
    bad_value,
)
odd_answer = st.one_of(
    st.tuples(st.lists(ozon_result, max_size=3), odd_result, st.lists(ozon_result, max_size=2)).map(
        lambda t: [*t[0], t[1], *t[2]]
    ),
    bad_value,
    st.dictionaries(ozon_text, ints, max_size=2),
)
"""Anything near that shape, including what the model refuses."""


@settings(max_examples=300, deadline=None)
@given(st.lists(ozon_result, max_size=6))
def test_ozon_shapes_are_read_by_hand_as_the_model_reads_them(items: list[Any]) -> None:
    lean = _parse(items)  # no fallback: raises if it would hand them to pydantic
    assert typed(plain(lean)) == typed(as_model_reads(items))
    assert all(type(r) is StockUpdateResult for r in lean)
    assert all(type(e) is StockError for r in lean for e in r.errors)


@settings(max_examples=600, deadline=None)
@given(odd_answer)
def test_any_answer_is_read_as_the_model_reads_it_or_refused_alike(items: Any) -> None:
    try:
        expected = as_model_reads(items)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as got:
            parse_results(items)
        assert str(got.value) == str(exc)
        return
    assert typed(plain(parse_results(items))) == typed(expected)


def test_unusual_values_go_through_the_model() -> None:
    got = parse_results(
        [{"product_id": True, "warehouse_id": "1_000", "updated": "yes", "errors": [{}]}]
    )
    assert got == [StockUpdateResult(1, 1000, "", True, (StockError("", ""),))]
    with pytest.raises(ValidationError):
        parse_results([{"product_id": None}])
    with pytest.raises(ValidationError):
        parse_results([{"errors": None}])


@pytest.mark.parametrize(
    ("code", "message", "text"),
    [
        ("", "", "error"),
        ("C", "", "C"),
        ("", "m", "m"),
        ("C", "C", "C"),
        ("C", "m", "C: m"),
    ],
)
def test_error_text_is_the_models(code: str, message: str, text: str) -> None:
    assert StockError(code, message).text() == ItemError(code=code, message=message).text() == text


# -- the resource ----------------------------------------------------------------------


def test_set_stocks_sends_bodies_and_reads_results_per_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ups = [StockUpdate(10 + i, 7, i) for i in range(5)]
    sent: list[Any] = []
    err = APIError("boom")

    def batches(self: Any, key: str, items: list[Any], build: Any, **kw: Any) -> Any:
        assert key == "product.stocks.update"
        sent.extend([build(items[:2]), build(items[2:4])])
        answer = {
            "result": [
                {"product_id": str(u.product_id), "warehouse_id": 7, "updated": u.stock != 1}
                | ({} if u.stock != 1 else {"errors": [{"code": "X", "message": "bad"}]})
                for u in items[:2]
            ]
        }
        return BatchReport(
            outcomes=[BatchOutcome(0, items[:2], answer), BatchOutcome(1, items[2:4], None, err)],
            not_sent=[items[4:]],
        )

    monkeypatch.setattr(ProductsResource, "_batches", batches)
    out = ProductsResource(None).set_stocks(ups)  # type: ignore[arg-type]
    assert sent[0] == {
        "stocks": [
            {"product_id": 10, "warehouse_id": 7, "stock": 0},
            {"product_id": 11, "warehouse_id": 7, "stock": 1},
        ]
    }
    assert out.results == [
        StockUpdateResult(10, 7, "", True),
        StockUpdateResult(11, 7, "", False, (StockError("X", "bad"),)),
    ]
    assert out.failed == [(ups[2], err), (ups[3], err)]
    assert out.not_sent == [ups[4]] and out.requests == 2


# -- no pydantic -------------------------------------------------------------------------


def test_the_client_and_stock_writes_load_no_pydantic() -> None:
    code = (
        "import sys\n"
        "import ozonctl.client.client, ozonctl.client.resources.products\n"
        "from ozonctl.client.models.stock_updates import StockUpdate, parse_results\n"
        "StockUpdate(1, 2, 3).body()\n"
        "r = parse_results([{'product_id': '1', 'warehouse_id': 2, 'offer_id': 'a',"
        " 'updated': False, 'errors': [{'code': 'C', 'message': 'm'}]}])\n"
        "assert r[0].errors[0].text() == 'C: m', r\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'"
        " or m.startswith('ozonctl.client.models.') and m.endswith(('common', 'products'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
