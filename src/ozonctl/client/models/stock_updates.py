"""The items and answers of ``/v2/products/stocks`` as plain tuples, without pydantic.

A stock import sends up to 10,000 product–warehouse pairs and reads one result per pair:
as pydantic models each way they cost ~40 ms of CPU, and importing pydantic at all ~50 ms
of start-up. Here an item is a ``NamedTuple`` and the answer is read by hand
(:func:`parse_results`) for the shapes Ozon sends; an answer of any other shape is handed
to the pydantic model of :mod:`ozonctl.client.models.products` (imported only then), so
every answer is read exactly as that model reads it, or refused with its error.

Both tuples begin with ``(product_id, warehouse_id)``: ``itemgetter(0, 1)`` is the pair
of an update and of its result alike.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ozonctl.client.models.convert import digits


class StockUpdate(NamedTuple):
    """One product–warehouse pair of ``/v2/products/stocks``.

    The pydantic model it replaces checked that the three numbers are whole (taking
    ``"5"`` or ``5.0`` too) and refused unknown fields. The first is the callers' to
    keep, and they do (mypy holds them to it): they build it from ints of their own —
    ``parse_stock``'s whole number, a catalogue entry's product id, ``int()`` of a
    CSV's warehouse id, a warehouse id read from Ozon. The second holds: an unknown
    keyword is a ``TypeError``."""

    product_id: int
    warehouse_id: int
    stock: int
    offer_id: str | None = None

    def body(self) -> dict[str, Any]:
        """The item as sent: these fields in this order, ``offer_id`` only when set."""
        if self.offer_id is None:
            return {
                "product_id": self.product_id,
                "warehouse_id": self.warehouse_id,
                "stock": self.stock,
            }
        return {
            "product_id": self.product_id,
            "warehouse_id": self.warehouse_id,
            "stock": self.stock,
            "offer_id": self.offer_id,
        }


def error_text(code: str, message: str) -> str:
    """One line for an item's error: ``CODE: message`` (either alone when the other is
    empty or the same)."""
    if code and message and message != code:
        return f"{code}: {message}"
    return code or message or "error"


class StockError(NamedTuple):
    """One of a result's ``errors``: ``{code, message}``."""

    code: str = ""
    message: str = ""

    def text(self) -> str:
        return error_text(self.code, self.message)


class StockUpdateResult(NamedTuple):
    """Ozon's answer for one pair; absent fields are their defaults. The first two
    fields are :class:`StockUpdate`'s (see the module's note)."""

    product_id: int = 0
    warehouse_id: int = 0
    offer_id: str = ""
    updated: bool = False
    errors: tuple[StockError, ...] = ()


class _Unusual(Exception):
    """An answer :func:`parse_results` leaves to the pydantic model."""


def parse_results(items: Any) -> list[StockUpdateResult]:
    """The ``result`` list of a ``/v2/products/stocks`` answer.

    Read here: a list of objects whose ids are JSON numbers or decimal strings,
    ``offer_id`` a string, ``updated`` a boolean, ``errors`` a list of objects with
    string ``code``/``message``; a field left out is its default, other fields are
    ignored. Anything else (``null`` for a field, ``"yes"`` for ``updated``, …) goes
    to the pydantic model, which reads it as it always did or raises its
    ``ValidationError``."""
    if type(items) is list:
        try:
            return _parse(items)
        except _Unusual:
            pass
    return _parse_with_model(items)


_new = tuple.__new__


def _parse(items: list[Any]) -> list[StockUpdateResult]:
    out: list[StockUpdateResult] = []
    append = out.append
    cls = StockUpdateResult
    for item in items:
        if type(item) is not dict:
            raise _Unusual
        product_id = item.get("product_id", 0)
        if type(product_id) is not int:
            product_id = _int(product_id)
        warehouse_id = item.get("warehouse_id", 0)
        if type(warehouse_id) is not int:
            warehouse_id = _int(warehouse_id)
        offer_id = item.get("offer_id", "")
        updated = item.get("updated", False)
        if type(offer_id) is not str or type(updated) is not bool:
            raise _Unusual
        errors = item.get("errors")
        if type(errors) is list:
            errors = _errors(errors) if errors else ()
        elif errors is None and "errors" not in item:
            errors = ()
        else:
            raise _Unusual
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (which takes
        # keywords): half the cost of making one. The values are in the class's order.
        append(_new(cls, (product_id, warehouse_id, offer_id, updated, errors)))
    return out


def _int(value: Any) -> int:
    """An id sent as a string of ASCII digits, ``-`` allowed (as the model's ``Int64``
    reads it; with spaces or other digits it is the model's to read)."""
    number = digits(value) if type(value) is str else None
    if number is None:
        raise _Unusual
    return number


def _errors(errors: list[Any]) -> tuple[StockError, ...]:
    out = []
    for e in errors:
        if type(e) is not dict:
            raise _Unusual
        code = e.get("code", "")
        message = e.get("message", "")
        if type(code) is not str or type(message) is not str:
            raise _Unusual
        out.append(StockError(code, message))
    return tuple(out)


def _parse_with_model(items: Any) -> list[StockUpdateResult]:
    from ozonctl.client.models.common import adapter
    from ozonctl.client.models.products import StockUpdateResultModel

    parsed = adapter(list[StockUpdateResultModel]).validate_python(items)
    return [
        StockUpdateResult(
            r.product_id,
            r.warehouse_id,
            r.offer_id,
            r.updated,
            tuple(StockError(e.code, e.message) for e in r.errors),
        )
        for r in parsed
    ]
