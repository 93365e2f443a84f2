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


class _Unsupported(Exception):
    pass


def dumps(data: dict[str, Any]) -> str | None:
    """``data`` as TOML, one ``key = value`` line per key (a list of tables one table a
    line), or None when it holds a value of another kind."""
    try:
        lines = [f"{_key(k)} = {_value(v, top=True)}\n" for k, v in data.items()]
    except _Unsupported:
        return None
    return "".join(lines)


def _key(key: Any) -> str:
    if type(key) is not str:
        raise _Unsupported
    return key if _BARE_KEY.fullmatch(key) else _str(key)


def _str(text: str) -> str:
    if "\x7f" in text:
        raise _Unsupported
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise _Unsupported from None
    return _string(text)


def _value(value: Any, *, top: bool = False) -> str:
    kind = type(value)
    if kind is str:
        return _str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise _Unsupported
        return str(value)
    if kind is dict:
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if kind is list or kind is tuple:
        if top and value and all(type(v) is dict for v in value):
            return "[\n" + "".join(f"  {_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise _Unsupported
