"""A quick TOML writer for machine state made of rows (journal steps).

``tomli_w`` writes a list of tables as ``[[products]]`` sections, checking and formatting
every value in Python: a promotion-leave snapshot of 5,000 products took ~0.1 s of a 1 s
command. Here each row becomes one inline table on its own line, and strings are
written by the C JSON encoder — a JSON string is a TOML basic string when it holds no
DEL (U+007F) and no lone surrogate. Only strings, booleans, 64-bit integers and lists
and tables of them are written this way; for anything else (floats, dates, Decimals,
``None``…) ``dumps`` returns None and the caller uses ``tomli_w``. Any TOML reader reads
the result; it is checked against ``tomllib`` in the tests."""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_INT64 = (-(1 << 63), (1 << 63) - 1)
_string = json.JSONEncoder(ensure_ascii=False).encode
_keys: dict[str, str] = {}
"""Key -> as written (journal rows repeat a few keys thousands of times)."""


class _Unsupported(Exception):
    pass


def dumps(data: dict[str, Any]) -> str | None:
    """``data`` as TOML, one ``key = value`` line per key (a list of tables one table a
    line), or None when it holds a value of another kind."""
    try:
        text = "".join([f"{_key(k)} = {_value(v, top=True)}\n" for k, v in data.items()])
    except _Unsupported:
        return None
    # Strings are checked once here, not one by one: DEL would be written raw (TOML
    # forbids it), and a lone surrogate cannot be encoded as UTF-8.
    if "\x7f" in text:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def _key(key: Any) -> str:
    written = _keys.get(key) if type(key) is str else None
    if written is None:
        if type(key) is not str:
            raise _Unsupported
        written = key if _BARE_KEY.fullmatch(key) else _string(key)
        if len(_keys) < 1024:
            _keys[key] = written
    return written


def _int(value: int) -> str:
    if not _INT64[0] <= value <= _INT64[1]:
        raise _Unsupported
    return str(value)


def _value(value: Any, *, top: bool = False) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return _int(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is dict:
        return _table(value)
    if kind is list or kind is tuple:
        if top and value and all(type(v) is dict for v in value):
            return "[\n" + "".join([f"  {_table(v)},\n" for v in value]) + "]"
        if all(type(v) is int for v in value):  # ids: one check of the range for all
            if value and not (_INT64[0] <= min(value) and max(value) <= _INT64[1]):
                raise _Unsupported
            return "[" + ", ".join(map(str, value)) + "]"
        return "[" + ", ".join([_value(v) for v in value]) + "]"
    raise _Unsupported


def _table(table: dict[Any, Any]) -> str:
    """An inline table; its scalars are written here (most rows hold only scalars)."""
    parts = []
    for k, v in table.items():
        kind = type(v)
        if kind is str:
            text = _string(v)
        elif kind is int:
            text = _int(v)
        else:
            text = _value(v)
        parts.append(f"{_key(k)} = {text}")
    return "{" + ", ".join(parts) + "}"
