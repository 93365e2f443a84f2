"""Answers generated from each method's documented 200 schema, with Ozon's looseness
(int64 as digits in a string, any field left out or null, fields the document does not
name), go through the client as a command reads them. Each is read, or refused with the
one-line "Ozon answered something ozonctl does not understand" error naming the method
and a field: never another exception, and never a money figure Ozon did not send shown
as 0. Bounded and derandomized (a fixed seed): the same bodies on every run.

The bodies come from ``body_strategy``, a few lines of Hypothesis strategies over the
JSON Schema: hypothesis-jsonschema 0.23.1 (the latest) fails on Hypothesis 6.170 inside
its object generator (``'many' object has no attribute 'more'``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ozon_oracle import COUNTS, METHODS, money_figures, read, response_schema

from ozonctl.client.endpoints import ENDPOINTS, Endpoint
from ozonctl.client.errors import UnexpectedAnswerError

pytestmark = pytest.mark.contract

BODIES_PER_METHOD = 20
EXTRA = "field_ozon_added_later"


def loose(schema: Any) -> Any:
    """``schema`` as Ozon answers it: an int64 may come as a string of digits, every
    property may be absent or null."""
    if isinstance(schema, list):
        return [loose(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        k: loose(v) if k in ("items", "anyOf", "oneOf", "allOf") else v for k, v in schema.items()
    }
    if "properties" in schema:
        out["properties"] = {
            k: {"anyOf": [loose(v), {"type": "null"}]} for k, v in schema["properties"].items()
        }
        out.pop("required", None)
    if schema.get("type") == "integer" and schema.get("format") in ("int64", "uint64"):
        return {"anyOf": [out, {"type": "string", "pattern": "^[0-9]{1,15}$"}]}
    return out


def body_strategy(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values valid against ``schema`` (the subset Ozon's documents use): objects
    with any subset of their properties, arrays of up to 3, enums, formats of dates."""
    if not isinstance(schema, dict) or depth > 12:
        return st.none()
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([body_strategy(s, depth + 1) for s in schema[key]])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(part)
        return body_strategy(merged, depth + 1)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([body_strategy({**schema, "type": k}, depth) for k in kind])
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        return st.fixed_dictionaries(
            {k: body_strategy(v, depth + 1) for k, v in props.items() if k in required},
            optional={
                k: body_strategy(v, depth + 1) for k, v in props.items() if k not in required
            },
        )
    if kind == "array":
        return st.lists(body_strategy(schema.get("items") or {}, depth + 1), max_size=3)
    if kind == "integer":
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "number":
        return st.one_of(st.integers(-(10**9), 10**9), st.floats(min_value=-1e12, max_value=1e12))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        fmt = schema.get("format")
        if fmt == "date-time":
            return st.datetimes(timezones=st.just(dt.UTC)).map(
                lambda d: d.isoformat().replace("+00:00", "Z")
            )
        if fmt == "date":
            return st.dates().map(dt.date.isoformat)
        return st.one_of(
            st.text(max_size=8), st.from_regex(r"-?[0-9]{1,7}(\.[0-9]{1,2})?", fullmatch=True)
        )
    return st.one_of(st.none(), st.integers(), st.text(max_size=4))


def with_extra(body: Any) -> Any:
    """``body`` with a field the document does not name in every object."""
    if isinstance(body, dict):
        return {EXTRA: [1, "a"], **{k: with_extra(v) for k, v in body.items()}}
    if isinstance(body, list):
        return [with_extra(v) for v in body]
    return body


def zeros_made_up(sent: Any, got: Any) -> list[str]:
    """Money keys the client shows as 0 where Ozon sent no 0 under that key."""
    sent_zero = {k for k, v in money_figures(sent) if v == 0 or v is None}
    sent_keys = {k for k, _ in money_figures(sent)}
    return sorted(
        {
            k
            for k, v in money_figures(got)
            if v == Decimal(0) and (k not in sent_keys or k not in sent_zero)
        }
    )


@pytest.mark.parametrize("ep", ENDPOINTS.values(), ids=lambda e: e.key)
def test_generated_answers_are_read_or_refused_in_one_line(
    specs: dict[str, Any], ep: Endpoint
) -> None:
    schema = response_schema(specs, ep)
    if schema is None:  # a 200 without a body (e.g. change-activity): nothing to read
        schema = {"type": "object"}

    @settings(
        max_examples=BODIES_PER_METHOD,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(body=body_strategy(loose(schema)), extra=st.booleans())
    def check(body: Any, extra: bool) -> None:
        sent = with_extra(body) if extra else body
        COUNTS["generated"] += 1
        try:
            got = read(ep.key, sent)
        except UnexpectedAnswerError as exc:
            assert exc.path == ep.path and exc.method == ep.method, exc
            assert exc.field and "\n" not in str(exc), exc
            return
        made_up = zeros_made_up(sent, got)
        assert not made_up, f"{ep.path}: {made_up} shown as 0, Ozon sent {sent!r:.300}"

    check()
    METHODS.add(ep.key)


def test_a_discount_request_price_too_large_for_cents_is_refused_in_one_line() -> None:
    with pytest.raises(UnexpectedAnswerError, match="original_price"):
        read("actions.discounts.list", {"tasks": [{"id": 1, "original_price": 1e26}]})
