"""The conversions behind the models' field types, without pydantic.

``common``'s ``Dec`` and ``Moment`` run these before pydantic checks the result
(``Int64`` is pydantic's own lax int); code that reads Ozon's values outside a model
(a date-time shown as a day) calls them directly, so a value is read the same way
either way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any


def to_decimal(v: Any) -> Any:
    """Money or a quantity held exactly: a float by its ``repr``, an int or a string by
    its text (``""`` is 0); anything else as it came."""
    kind = type(v)
    if kind is str:  # the common case (Money amounts): Decimal reads the text, spaces too
        try:
            return Decimal(v)
        except InvalidOperation:
            return v if v.strip() else Decimal(0)
    if kind is float:
        return Decimal(repr(v))
    if kind is int:
        return Decimal(v)
    if v is None or isinstance(v, Decimal):
        return v
    if isinstance(v, int | str):  # subclasses (a bool is an int, read as before)
        try:
            return Decimal(str(v).strip() or "0")
        except InvalidOperation:
            return v
    return v


def to_moment(v: Any) -> Any:
    """Ozon's date-times: RFC 3339 (``Z`` or an offset); ``""``, ``0001-01-01…`` or a
    missing value mean none; a time without a zone is UTC."""
    if v is None or isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        text = v.strip()
        if not text or text.startswith("0001-01-01"):
            return None
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return v
