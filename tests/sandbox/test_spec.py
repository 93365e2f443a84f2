"""Request validation against Ozon's OpenAPI documents (skips without them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import Api, make

from ozonctl.client.endpoints import ENDPOINTS
from ozonctl.sandbox import spec

SPEC_DIR = spec.find_spec_dir()
needs_spec = pytest.mark.skipif(
    SPEC_DIR is None or not spec.validation_available(),
    reason="Ozon's OpenAPI documents not found (set OZON_OPENAPI or put them in "
    "../shared/ozon-seller-api/) or jsonschema is not installed",
)


def test_find_spec_dir_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_OPENAPI", str(tmp_path))
    assert spec.find_spec_dir() is None
    monkeypatch.setenv("OZON_OPENAPI", "off")
    assert spec.find_spec_dir() is None
    (tmp_path / "ozon-seller-openapi-2026-01-01.json").write_text(
        '{"openapi": "3.0.0", "paths": {}}'
    )
    monkeypatch.setenv("OZON_OPENAPI", str(tmp_path))
    assert spec.find_spec_dir() == tmp_path
    monkeypatch.setenv("OZON_OPENAPI", str(tmp_path / "ozon-seller-openapi-2026-01-01.json"))
    assert spec.find_spec_dir() == tmp_path


def write_doc(folder: Path, doc: dict[str, Any]) -> Path:
    (folder / "ozon-seller-openapi-2099-01-01.json").write_text(json.dumps(doc))
    return folder


def test_refs_nullable_and_recursion(tmp_path: Path) -> None:
    pytest.importorskip("jsonschema")
    doc = {
        "openapi": "3.0.0",
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Req"}}
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Req": {
                    "type": "object",
                    "required": ["id", "ghost"],
                    "properties": {
                        "id": {"type": "string", "format": "int64"},
                        "note": {"type": "string", "nullable": True},
                        "tree": {"$ref": "#/components/schemas/Node"},
                        "day": {"type": "string", "pattern": " YYYY-MM-DD"},
                    },
                },
                "Node": {
                    "type": "object",
                    "properties": {"child": {"$ref": "#/components/schemas/Node"}},
                },
            }
        },
    }
    folder = write_doc(tmp_path, doc)
    check = spec.request_validator("/x", directory=folder)
    assert check is not None
    assert (
        check({"id": "12", "note": None, "tree": {"child": {"child": {}}}, "day": "2026-01-01"})
        == []
    )
    assert check({"id": 12}) == ["id: 12 is not of type 'string'"]
    assert check({"id": "1x"}) and check({}) and check({"note": 5, "id": "1"})


@needs_spec
def test_int64_as_string_rejects_numbers() -> None:
    check = spec.request_validator("/v3/product/info/list")
    assert check is not None
    assert check({"product_id": ["801000007"]}) == []
    assert check({"product_id": [801000007]}) == [
        "product_id[0]: 801000007 is not of type 'string'"
    ]
    deactivate = spec.request_validator("/v2/actions/products/deactivate")
    assert deactivate is not None and deactivate({"action_id": 1, "product_ids": [5]})


@needs_spec
def test_every_table_path_is_found_in_a_document() -> None:
    docs = spec.load_documents()
    assert docs is not None
    for endpoint in ENDPOINTS.values():
        assert docs.operation(endpoint.path, endpoint.method.lower()), endpoint.path


@needs_spec
def test_sandbox_answers_400_to_a_wrong_typed_body(api: Api) -> None:
    r = api.post("/v3/product/info/list", {"product_id": [801000007]})
    assert r.status_code == 400
    assert r.json()["code"] == 3 and "is not of type 'string'" in r.json()["message"]
    with make(validate=False) as server:
        relaxed = Api(server)
        assert relaxed.post("/v3/product/info/list", {"product_id": [801000007]}).status_code == 200
        relaxed.close()


def names(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        found |= set(schema.get("properties", {}))
        for value in schema.values():
            found |= names(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= names(value)
    return found


def json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-3, 2**40)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.sampled_from(["", "12", "abc", "ALL", "2026-01-01"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(keys), inner, max_size=4)
        ),
        max_leaves=12,
    )


@needs_spec
@pytest.mark.parametrize("path", sorted({e.path for e in ENDPOINTS.values() if e.method == "POST"}))
def test_fast_check_never_accepts_what_jsonschema_rejects(path: str) -> None:
    import jsonschema

    found = spec.request_schema(path)
    if found is None:
        pytest.skip(f"{path} takes no body")
    schema = found[1]
    quick = spec._predicate(schema)
    if quick is None:
        pytest.skip(f"{path}: the fast check does not cover this schema")
    full = jsonschema.Draft202012Validator(schema, format_checker=spec._format_checker())
    keys = sorted(names(schema)) or ["x"]

    @settings(max_examples=60, deadline=None)
    @given(json_values(keys))
    def check(value: Any) -> None:
        if quick(value):
            assert full.is_valid(value), value

    check()


@needs_spec
def test_comment_list_by_review_id_is_valid_and_by_nothing_is_not() -> None:
    """Ozon's oneOf of /v1/review/comment/list ("review_id" or "filter.sku") as written
    lets a body without ``filter`` match both branches; mended, it matches one."""
    check = spec.request_validator("/v1/review/comment/list", "post")
    assert check is not None
    assert check({"review_id": "r1", "limit": 20}) == []
    assert check({"filter": {"sku": 1}, "limit": 20}) == []
    assert check({"limit": 20}) != []
