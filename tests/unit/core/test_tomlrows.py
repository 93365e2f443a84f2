"""The quick TOML writer of journal rows reads back as tomli_w's output does."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from ozonctl.state import tomlrows
from ozonctl.state.files import write_toml

keys = st.text(min_size=1, max_size=8)
scalars = st.one_of(
    st.text(max_size=20),
    st.booleans(),
    st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
rows = st.lists(st.dictionaries(keys, scalars, max_size=6), min_size=1, max_size=5)
documents = st.dictionaries(keys, st.one_of(values, rows), max_size=5)


def _writable(text: str) -> bool:
    return "\x7f" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _all_text(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in [k, *_all_text(v)]]
    if isinstance(value, list):
        return [t for v in value for t in _all_text(v)]
    return []


@settings(max_examples=300, deadline=None)
@given(documents)
def test_reads_back_as_tomli_w_writes(data: dict[str, Any]) -> None:
    text = tomlrows.dumps(data)
    if not all(_writable(t) for t in _all_text(data)):
        assert text is None  # left to tomli_w
        return
    assert text is not None
    assert tomllib.loads(text) == tomllib.loads(tomli_w.dumps(data)) == data


def test_a_list_of_rows_is_one_inline_table_a_line() -> None:
    data = {
        "products": [{"id": 1, "name": 'Кружка "синяя"\n', "ok": True}, {"id": 2}],
        "date": "2026-12-05",
    }
    text = tomlrows.dumps(data)
    assert text == (
        "products = [\n"
        '  {id = 1, name = "Кружка \\"синяя\\"\\n", ok = true},\n'
        "  {id = 2},\n"
        "]\n"
        'date = "2026-12-05"\n'
    )
    assert tomllib.loads(text) == data


def test_other_kinds_are_left_to_tomli_w(tmp_path: Path) -> None:
    for value in (1.5, Decimal("1.50"), dt.date(2026, 12, 5), 1 << 64, "del\x7f", "\ud800"):
        assert tomlrows.dumps({"v": value}) is None
    # write_toml falls back and the file still reads back
    path = tmp_path / "x.toml"
    write_toml(path, {"when": dt.date(2026, 12, 5), "rows": [{"a": 1}]}, rows=True)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "when": dt.date(2026, 12, 5),
        "rows": [{"a": 1}],
    }
    write_toml(path, {"rows": [{"a": 1, "b": None}]}, rows=True)  # None dropped as before
    assert path.read_text(encoding="utf-8") == "rows = [\n  {a = 1},\n]\n"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.one_of(values, rows, st.none()), max_size=5))
def test_write_toml_returns_the_data_as_its_file_reads(data: dict[str, Any]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "step.toml"
        plain = write_toml(path, data, rows=True)
        on_disk = tomllib.loads(path.read_text(encoding="utf-8"))
    if plain is not None:  # written by the quick writer: the copy is what a reader gets
        assert plain == on_disk
        assert plain is not data
