"""Shared model bases and field types."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, TypeAdapter
from typing_extensions import TypedDict

from ozonctl.client.models.convert import to_decimal, to_moment


@functools.cache
def adapter(shape: Any) -> TypeAdapter[Any]:
    """A pydantic ``TypeAdapter`` of ``shape`` (a model, TypedDict, ``list[M]`` …), built
    on first use and kept: its schema costs milliseconds, so not at import nor per call."""
    return TypeAdapter(shape)


class _Counted(TypedDict, total=False):
    """An item of a page, read only to be counted."""

    __pydantic_config__ = ConfigDict(extra="ignore")  # type: ignore[misc]


class _PagingKeys(TypedDict, total=False):
    __pydantic_config__ = ConfigDict(extra="ignore")  # type: ignore[misc]

    items: list[_Counted] | None
    products: list[_Counted] | None
    last_id: Any
    cursor: Any
    has_next: Any
    total_items: Any
    total: Any
    page_count: Any


class PageKeys(_PagingKeys, total=False):
    """What a page walk steers by (``last_id``, ``cursor``, ``has_next``, the totals,
    ``page_count``, at the top of an answer or in its ``result``) and its ``items`` (a
    promotion's ``products``), each an empty dict: read from an answer's bytes in a
    fraction of a full read of its items, so that the next page can be asked for first
    (``iter_pages(keys=...)``)."""

    result: _PagingKeys


# ``defer_build``: a model's validator and serializer are built on its first use, not
# when its module is imported: a command uses a few of the models, so it builds only those.


class Lenient(BaseModel):
    """Base of response models: unknown fields are kept, never an error."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class Strict(BaseModel):
    """Base of request models: unknown fields are a bug on our side."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# The conversions live in ``convert`` (no pydantic there, for code outside the models); the old
# private names stay.
_to_decimal = to_decimal
_to_moment = to_moment


Int64 = Annotated[int, Field(strict=False)]
"""An int64 that Ozon sends as a number or a string; held as int. pydantic-core reads it
(lax mode: a string of digits, spaces around allowed, any size exactly), no Python
validator: cards and list pages carry several a product."""

Int64Str = Annotated[int, Field(strict=False), PlainSerializer(str, return_type=str)]
"""An int64 the spec wants sent as a JSON string (e.g. ``product_ids`` of v2 actions)."""

Dec = Annotated[Decimal, BeforeValidator(_to_decimal)]
"""Money or a quantity held exactly: from a string or a number, never via float maths.
A Python validator still: ``""`` (and blanks) read as 0, which pydantic's ``Decimal``
refuses and finance's amounts need."""


def _plain(value: Decimal) -> str:
    """A Decimal as a plain decimal string: ``1200``, never ``1.2E+3``."""
    return format(value, "f")


DecStr = Annotated[Decimal, BeforeValidator(_to_decimal), PlainSerializer(_plain, return_type=str)]
"""A Decimal the spec wants sent as a string (prices in /v1/product/import/prices), in
plain notation."""


class Money(Lenient):
    """Ozon's Money object: ``{"amount": "1800", "currency": "RUB"}``."""

    amount: Dec = Decimal("0")
    currency: str = "RUB"


class MoneyOut(Strict):
    """Money as sent in requests: the amount as a string."""

    amount: DecStr
    currency: str = "RUB"


Moment = Annotated[dt.datetime | None, BeforeValidator(_to_moment)]
"""A date-time that may be empty (held timezone-aware)."""
