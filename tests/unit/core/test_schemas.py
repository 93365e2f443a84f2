"""One JSON schema per entity (issue 18): every key, each value in its kind's JSON form,
the JSON Schema the tests validate against, and the bulk-write envelope."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest

from ozonctl.cli.output import Column, Output
from ozonctl.cli.schema import SAFE_INTEGER, Field, Schema
from ozonctl.cli.schemas import ENTITIES, POSTING, PRODUCT
from ozonctl.cli.write_schemas import WRITE_ITEMS
from ozonctl.errors import UsageError

ITEM = Schema(
    "item",
    (
        Field("id", "id", ""),
        Field("price", "money", ""),
        Field("share", "number", ""),
        Field("when", "datetime", ""),
        Field("day", "date", ""),
        Field("ok", "boolean", ""),
        Field("tags", "array", "", "string"),
    ),
)


def test_conform_writes_every_key_in_its_kind() -> None:
    got = ITEM.conform(
        {
            "id": SAFE_INTEGER + 1,
            "price": Decimal("1000"),
            "share": "15.0",
            "when": "2026-11-07T12:08:11Z",
            "day": dt.date(2026, 11, 7),
            "extra": "dropped",
        }
    )
    assert got == {
        "id": str(SAFE_INTEGER + 1),  # above 2^53: a string
        "price": "1000.00",  # money: two decimals
        "share": 15.0,  # a number, not "15.0"
        "when": "2026-11-07T12:08:11+00:00",
        "day": "2026-11-07",
        "ok": None,  # unknown: null, never left out
        "tags": None,
    }
    assert ITEM.conform({"id": 7, "price": "10.5", "share": Decimal("3"), "ok": 1})["id"] == 7
    assert ITEM.conform({"price": "10.5"})["price"] == "10.50"
    assert ITEM.conform({"share": Decimal("3")})["share"] == 3


def test_a_missing_value_is_null_without_a_converter_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk write's 5,000 result rows fill about a third of their schema's keys: the
    others are null at once, and every kind turns None into null anyway."""
    from ozonctl.cli import schema as schema_module
    from ozonctl.cli.schema import KINDS

    kinds = sorted(k for k in KINDS if k not in ("array", "object"))
    for kind in kinds:
        assert Schema("one", (Field("v", kind, ""),)).conform({"v": None}) == {"v": None}
    called: list[Any] = []
    money = schema_module._SIMPLE["money"]
    monkeypatch.setitem(schema_module._SIMPLE, "money", lambda v: called.append(v) or money(v))
    spied = Schema("spied", (Field("price", "money", ""), Field("old", "money", "")))
    assert spied.conform({"price": Decimal("5"), "old": None}) == {"price": "5.00", "old": None}
    assert spied.conform(type("Row", (), {"price": None})()) == {"price": None, "old": None}
    assert called == [Decimal("5")]


def test_a_row_that_misses_a_key_is_not_valid() -> None:
    validator = jsonschema.Draft202012Validator(ITEM.json_schema())
    assert not list(validator.iter_errors(ITEM.conform({"price": 1})))
    assert list(validator.iter_errors({"price": "1.00"}))  # the other keys missing
    assert list(validator.iter_errors(ITEM.conform({}) | {"price": "1.5"}))
    assert list(validator.iter_errors(ITEM.conform({}) | {"id": SAFE_INTEGER + 1}))


@pytest.mark.parametrize(
    "schema", (*ENTITIES, *WRITE_ITEMS), ids=[s.name for s in (*ENTITIES, *WRITE_ITEMS)]
)
def test_every_schema_is_a_valid_json_schema_and_documented(schema: Schema) -> None:
    jsonschema.Draft202012Validator.check_schema(schema.json_schema())
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "scripting.md").read_text()
    assert f"#### {schema.name}\n" in doc and schema.markdown() in doc


def test_free_stock_has_one_name() -> None:
    keys = {k for s in ENTITIES for k in s.keys}
    assert "free_stock" in keys and not keys & {"free", "fbs_free", "fbs_stock"}


def output(**kw: Any) -> tuple[Output, io.StringIO]:
    out = io.StringIO()
    return Output(stdout=out, stderr=io.StringIO(), **kw), out


def test_rows_with_a_schema_write_every_key_and_check_fields_against_it() -> None:
    o, out = output(json_mode=True)
    o.rows(
        [Column("offer_id", "Offer")], [{"offer_id": "A", "price": Decimal("5")}], schema=PRODUCT
    )
    [row] = json.loads(out.getvalue())
    assert list(row) == PRODUCT.keys and row["price"] == "5.00" and row["free_stock"] is None
    o, out = output(json_fields=["posting_number", "ship_by"])
    o.rows([], [{"posting_number": "1-1-1"}], schema=POSTING)
    assert json.loads(out.getvalue()) == [{"posting_number": "1-1-1", "ship_by": None}]
    o, _ = output(json_fields=["shipment_date"])
    with pytest.raises(UsageError) as err:
        o.rows([], [{"posting_number": "1-1-1"}], schema=POSTING)
    assert "ship_by" in (err.value.hint or "")


OUTCOME = Schema("outcome", (Field("id", "id", ""), Field("result", "string", "")))


def test_outcomes_are_one_envelope_in_json_and_rows_elsewhere() -> None:
    rows = [{"id": 1, "result": "archived"}, {"id": 2, "result": "failed"}]
    o, out = output(json_mode=True)
    got = o.outcomes([Column("id", "ID")], rows, ref="archive-1", dry_run=False, schema=OUTCOME)
    assert got == 2
    assert json.loads(out.getvalue()) == {
        "ref": "archive-1",
        "dry_run": False,
        "counts": {"archived": 1, "failed": 1},
        "items": rows,
    }
    o, out = output()
    columns = [Column("id", "ID"), Column("result", "Result")]
    o.outcomes(columns, rows, ref=None, dry_run=True, schema=OUTCOME)
    assert out.getvalue() == "1\tarchived\n2\tfailed\n"


def test_a_cancel_outcome_writes_its_figures_as_numbers_and_every_key() -> None:
    """``order cancel --json`` wrote the cancellation rate as ``"3.5"`` (no schema) and
    left out what a plan did not know."""
    from ozonctl.cli.write_schemas import CANCEL_OUTCOME

    doc = {
        "posting_number": "1-1-1",
        "action": "cancel_products",
        "reason_id": 352,
        "items": [{"sku": SAFE_INTEGER + 5, "quantity": 2}],
        "cancellation_rating": {"current_value": Decimal("3.5"), "threshold": Decimal("5")},
        "outcome": "dry_run",
    }
    item = CANCEL_OUTCOME.conform(doc)
    assert list(item) == CANCEL_OUTCOME.keys and item["journal_ref"] is None
    assert item["items"] == [{"sku": str(SAFE_INTEGER + 5), "quantity": 2}]
    figures = item["cancellation_rating"]
    assert figures["current_value"] == 3.5 and figures["threshold"] == 5
    assert figures["over_threshold"] is None
    assert not list(jsonschema.Draft202012Validator(CANCEL_OUTCOME.json_schema()).iter_errors(item))


def test_a_promotion_change_writes_numbers_as_numbers_and_every_key() -> None:
    """``promo leave --json`` wrote ``discount_pct`` as ``"12.6"`` (no schema)."""
    from decimal import Decimal

    from ozonctl.cli.write_schemas import PROMO_CHANGE

    item = PROMO_CHANGE.conform({"offer_id": "A", "discount_pct": Decimal("12.6")})
    assert item["discount_pct"] == 12.6 and list(item) == PROMO_CHANGE.keys
