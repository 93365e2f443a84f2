"""Every finance request ozonctl sends matches Ozon's published request schema, and the
fake these tests use answers in the published response shapes.

One slip of Ozon's document is set aside: ``/v1/finance/accrual/by-day`` gives ``date``
the placeholder ``pattern: " YYYY-MM-DD"``, which no date can match. The date format is
checked here directly instead.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import httpx
import pytest
from payout_fake import FakeFinance

from ozonctl.client.client import OzonClient

spec = pytest.importorskip("ozonctl.sandbox.spec")
jsonschema = pytest.importorskip("jsonschema")

if spec.find_spec_dir() is None:
    pytest.skip("Ozon's OpenAPI documents are not here (OZON_OPENAPI)", allow_module_level=True)


def drop_placeholder_patterns(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            k: drop_placeholder_patterns(v)
            for k, v in schema.items()
            if not (k == "pattern" and isinstance(v, str) and "YYYY" in v)
        }
    if isinstance(schema, list):
        return [drop_placeholder_patterns(v) for v in schema]
    return schema


def unknown_fields(body: Any, schema: Any, where: str = "") -> list[str]:
    """Body keys the schema does not name (Ozon's schemas allow extras; we do not)."""
    if not isinstance(body, dict) or not isinstance(schema, dict):
        return []
    props = schema.get("properties")
    if not isinstance(props, dict):
        return []
    found = [f"{where}{k}" for k in body if k not in props]
    for k, v in body.items():
        if k in props:
            found += unknown_fields(v, props[k], f"{where}{k}.")
    return found


def sent_by_ozonctl() -> FakeFinance:
    fake = FakeFinance(per_day=4, page=3)
    client = OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        transport=httpx.MockTransport(fake),
    )
    fin = client.finance
    fin.accrual_types()
    list(fin.accruals_by_day(dt.date(2026, 10, 1), dt.date(2026, 10, 2)))
    list(fin.posting_accruals(["0001-1", "0002-1"]))
    fin.realization(2026, 10)
    list(
        fin.cash_flows(
            dt.datetime(2026, 10, 1, tzinfo=dt.UTC), dt.datetime(2026, 10, 31, tzinfo=dt.UTC)
        )
    )
    fin.balance(dt.date(2026, 9, 1), dt.date(2026, 10, 31))
    return fake


def test_request_bodies_match_the_schema() -> None:
    fake = sent_by_ozonctl()
    paths = {p for p, _ in fake.calls}
    assert paths == {
        "/v1/finance/accrual/types",
        "/v1/finance/accrual/by-day",
        "/v1/finance/accrual/postings",
        "/v2/finance/realization",
        "/v1/finance/cash-flow-statement/list",
        "/v1/finance/balance",
    }
    for path, body in fake.calls:
        found = spec.request_schema(path)
        if found is None:  # a method without a body schema (the type catalogue)
            assert body == {}, path
            continue
        schema = drop_placeholder_patterns(copy.deepcopy(found[1]))
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(body)]
        assert not errors, (path, body, errors)
        assert not unknown_fields(body, schema), (path, body)
    for _, body in (c for c in fake.calls if c[0] == "/v1/finance/accrual/by-day"):
        assert dt.date.fromisoformat(body["date"]).isoformat() == body["date"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/finance/accrual/types",
        "/v1/finance/accrual/by-day",
        "/v1/finance/accrual/postings",
        "/v1/finance/balance",
    ],
)
def test_the_fake_answers_in_the_published_shape(path: str) -> None:
    validator = spec.response_validator(path)
    if validator is None:
        pytest.skip(f"no response schema for {path}")
    fake = sent_by_ozonctl()
    bodies = fake.bodies(path)
    assert bodies
    for body in bodies:
        assert validator(fake.answer(path, body)) == [], path
