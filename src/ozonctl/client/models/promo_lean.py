"""Ozon's promotions and their products as plain tuples, without pydantic.

``promo leave --all`` reads every product of a promotion (5,000 of them are 50 pages of
``/v2/actions/products``) and the ``GET /v1/actions`` list. As pydantic models the
products cost ~67 ms of CPU (most of it the eight Money fields' Python validators), and
importing pydantic at all ~50 ms of start-up. Here a product is a ``NamedTuple`` and a
page is read by hand (:func:`parse_products`) for the shapes Ozon sends; a page of any
other shape is handed to the pydantic model of :mod:`ozonctl.client.models.promos`
(imported only then), so every page is read exactly as that model reads it, or refused
with its ``ValidationError``. The same goes for the promotions (:func:`parse_actions`)
and the ids a deactivate or auto-add delete answers (:func:`parse_ids`).

The values are the model's: ids as ``int``, money and boosts as exact ``Decimal``
(:mod:`ozonctl.client.models.convert` reads them for both), date-times as aware
``datetime`` or None. A ``Money`` object is an :class:`Amount`, with the same attribute
names; fields the models only keep as extras (``website_prices``…) are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, TypeVar

from ozonctl.client.models.convert import digits, to_moment


class Amount(NamedTuple):
    """Ozon's Money object ``{"amount": "1800.00", "currency": "RUB"}`` (``Money``)."""

    amount: Decimal = Decimal("0")
    currency: str = "RUB"


def money(value: Amount | None) -> Decimal | None:
    """The amount of a Money object, None when absent."""
    return None if value is None else value.amount


class PromoProduct(NamedTuple):
    """A product in a promotion (``/v2/actions/products``) or a candidate
    (``/v2/actions/candidates``): the fields of ``ActionProduct``, in its order."""

    id: int
    price: Amount | None = None
    action_price: Amount | None = None
    max_action_price: Amount | None = None
    alert_max_action_price: Amount | None = None
    alert_max_action_price_failed: bool = False
    marketplace_seller_price: Amount | None = None
    min_seller_price: Amount | None = None
    price_min_elastic: Amount | None = None
    price_max_elastic: Amount | None = None
    current_boost: Decimal = Decimal("0")
    min_boost: Decimal = Decimal("0")
    max_boost: Decimal = Decimal("0")
    min_stock: int = 0
    recommended_stock: int = 0
    is_quarantined: bool = False
    add_mode: str = ""
    """``AUTO`` or ``SELLER`` (products in a promotion only)."""
    stock: int = 0
    """Units in the promotion (promo-code promotions; products in a promotion only)."""


BOOSTING_TYPES = frozenset({"ELASTIC_BOOSTING", "MAX_BOOSTING", "MAXIMUM_BOOSTING"})


def action_is_boosting(action_type: str, title: str) -> bool:
    """Elastic or maximum boosting: a product leaves when its action price is moved past
    the promotion's limit with ``/v1/actions/products/update``. A boosting promotion Ozon
    types generically is still known by its title."""
    kind = action_type.upper()
    return kind in BOOSTING_TYPES or "BOOST" in kind or "бустинг" in title.casefold()


def action_leave_method(action_type: str, title: str) -> str:
    """``update`` (boosting) or ``deactivate`` (promo codes and the rest)."""
    return "update" if action_is_boosting(action_type, title) else "deactivate"


class PromoAction(NamedTuple):
    """One Ozon promotion from ``GET /v1/actions``: the fields of ``Action``, in its
    order."""

    id: int
    title: str = ""
    action_type: str = ""
    description: str = ""
    date_start: dt.datetime | None = None
    date_end: dt.datetime | None = None
    auto_add_dates: Sequence[str] = ()
    """Kept as Ozon wrote them (a tuple): they are sent back verbatim to the auto-add
    methods."""
    freeze_date: dt.datetime | None = None
    potential_products_count: int = 0
    participating_products_count: int = 0
    is_participating: bool = False
    is_voucher_action: bool = False
    banned_products_count: int = 0
    with_targeting: bool = False
    order_amount: Decimal = Decimal("0")
    discount_type: str = ""
    discount_value: Decimal = Decimal("0")

    @property
    def is_boosting(self) -> bool:
        """See :func:`action_is_boosting`."""
        return action_is_boosting(self.action_type, self.title)

    @property
    def leave_method(self) -> str:
        """See :func:`action_leave_method`."""
        return action_leave_method(self.action_type, self.title)


# -- reading by hand ----------------------------------------------------------------------


class _Unusual(Exception):
    """A value the hand parsers leave to the pydantic model."""


_MISSING: Any = object()
_ZERO = Decimal("0")
_new = tuple.__new__
_Row = TypeVar("_Row", PromoProduct, PromoAction)


def _int(value: Any) -> int:
    """An id or count: a JSON int (not a bool), or a string of ASCII digits with at most
    one leading ``-`` (``convert.digits``). Anything else — a float, spaces, ``"--5"``,
    other digits — is the model's to read or refuse."""
    if type(value) is int:
        return value
    if type(value) is str:
        number = digits(value)
        if number is not None:
            return number
    raise _Unusual


def _dec(value: Any) -> Decimal:
    """An exact number as ``to_decimal`` makes it: a string by its text (``""`` is 0), a
    float by its ``repr``, an int by its digits. Not finite (``NaN``, ``Infinity``, a
    float inf or nan — the model refuses them), not a number, or of another type (a bool,
    null): the model's. Left out (``_MISSING``): the field's default, 0."""
    kind = type(value)
    try:
        if kind is str:
            number = Decimal(value.strip() or "0")
        elif kind is float:
            number = Decimal(repr(value))
        elif kind is int:
            number = Decimal(str(value))
        elif value is _MISSING:
            return _ZERO
        else:
            raise _Unusual
    except (InvalidOperation, ValueError):
        raise _Unusual from None
    if not number.is_finite():
        raise _Unusual
    return number


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Unusual
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Unusual
    return value


def _moment(value: Any) -> dt.datetime | None:
    """A date-time as ``to_moment`` reads it (``""`` and ``0001-01-01…`` are none); the
    model keeps the datetime it gets as it is."""
    if value is None:
        return None
    if type(value) is not str:
        raise _Unusual
    try:
        moment: dt.datetime | None = to_moment(value)
    except ValueError:
        raise _Unusual from None
    return moment


def _products(items: list[Any]) -> list[PromoProduct]:
    # Most numbers of a page repeat ("0.00", a price and its action price, boosts of
    # 0.0…): each text is made a Decimal once, each RUB amount an Amount once, and shared
    # (both are immutable): a third less time on a sandbox page.
    numbers: dict[str, Decimal] = {}
    rub: dict[str, Amount] = {}

    def number(value: Any) -> Decimal:
        """``_dec``, by the text ``to_decimal`` reads (a str itself, a float's ``repr``,
        an int's ``str``: equal texts are equal Decimals whatever the type)."""
        kind = type(value)
        if kind is str:
            text = value
        elif kind is float:
            text = repr(value)
        elif kind is int:
            try:
                text = str(value)
            except ValueError:  # past Python's 4,300-digit limit: the model's error
                raise _Unusual from None
        elif value is _MISSING:
            return _ZERO
        else:
            raise _Unusual
        got = numbers.get(text)
        if got is None:
            got = numbers[text] = _dec(text)
        return got

    def amount(value: Any) -> Amount | None:
        """A Money object; null or left out: None."""
        if type(value) is dict:
            text = value.get("amount", "0")
            currency = value.get("currency", "RUB")
            if type(currency) is not str:
                raise _Unusual
            if currency == "RUB" and type(text) is str:
                got = rub.get(text)
                if got is None:
                    got = rub[text] = _new(Amount, (_dec(text), currency))
                return got
            return _new(Amount, (number(text), currency))
        if value is None:
            return None
        raise _Unusual

    out: list[PromoProduct] = []
    append = out.append
    cls = PromoProduct
    for item in items:
        if type(item) is not dict:
            raise _Unusual
        get = item.get
        pid = get("id", _MISSING)
        if type(pid) is not int:
            pid = _int(pid)
        failed = get("alert_max_action_price_failed", False)
        quarantined = get("is_quarantined", False)
        add_mode = get("add_mode", "")
        if type(failed) is not bool or type(quarantined) is not bool or type(add_mode) is not str:
            raise _Unusual
        min_stock = get("min_stock", 0)
        recommended = get("recommended_stock", 0)
        stock = get("stock", 0)
        if type(min_stock) is not int or type(recommended) is not int or type(stock) is not int:
            min_stock, recommended, stock = _int(min_stock), _int(recommended), _int(stock)
        row = (
            pid,
            amount(get("price")),
            amount(get("action_price")),
            amount(get("max_action_price")),
            amount(get("alert_max_action_price")),
            failed,
            amount(get("marketplace_seller_price")),
            amount(get("min_seller_price")),
            amount(get("price_min_elastic")),
            amount(get("price_max_elastic")),
            number(get("current_boost", _MISSING)),
            number(get("min_boost", _MISSING)),
            number(get("max_boost", _MISSING)),
            min_stock,
            recommended,
            quarantined,
            add_mode,
            stock,
        )
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (which takes
        # keywords): the values are in the class's order.
        append(_new(cls, row))
    return out


def _action(item: Any) -> PromoAction:
    if type(item) is not dict:
        raise _Unusual
    get = item.get
    dates = get("auto_add_dates", _MISSING)
    if dates is _MISSING:
        dates = ()
    elif type(dates) is not list or any(type(d) is not str for d in dates):
        raise _Unusual
    row = (
        _int(get("id", _MISSING)),
        _str(get("title", "")),
        _str(get("action_type", "")),
        _str(get("description", "")),
        _moment(get("date_start")),
        _moment(get("date_end")),
        tuple(dates),
        _moment(get("freeze_date")),
        _int(get("potential_products_count", 0)),
        _int(get("participating_products_count", 0)),
        _bool(get("is_participating", False)),
        _bool(get("is_voucher_action", False)),
        _int(get("banned_products_count", 0)),
        _bool(get("with_targeting", False)),
        _dec(get("order_amount", _MISSING)),
        _str(get("discount_type", "")),
        _dec(get("discount_value", _MISSING)),
    )
    action: PromoAction = _new(PromoAction, row)
    return action


def _ids(raw: Any) -> list[int]:
    if type(raw) is not dict:
        raise _Unusual
    ids = raw.get("product_ids", [])
    if type(ids) is not list:
        raise _Unusual
    return [i if type(i) is int else _int(i) for i in ids]


# -- the public parsers -------------------------------------------------------------------


def parse_products(items: Any) -> list[PromoProduct]:
    """The ``products`` list of a ``/v2/actions/products`` or ``/v2/actions/candidates``
    page.

    Read here: a list of objects with the id a JSON int or a string of digits; Money
    objects ``{"amount": "<decimal>", "currency": "<str>"}`` (amount left out: 0,
    currency left out: ``RUB``, other keys ignored) or null; boosts as JSON numbers or
    decimal strings; counts as ints or digit strings; booleans and ``add_mode`` as
    such; a field left out is its default, fields not in the model are dropped. Anything
    else (``"NaN"``, ``5.0`` for an id, ``"yes"`` for a boolean, …) sends the whole page
    to ``ActionProduct``, which reads it as it always did or raises its
    ``ValidationError``."""
    if type(items) is list:
        try:
            return _products(items)
        except _Unusual:
            pass
    return _with_model(items, "ActionProduct", PromoProduct)


def parse_actions(result: Any) -> list[PromoAction]:
    """The ``result`` list of ``GET /v1/actions``, read as :func:`parse_products` reads
    a page (date-times as ``to_moment`` reads them: ``""`` and ``0001-01-01…`` are none;
    ``auto_add_dates`` a list of strings, kept as a tuple); any other shape goes to
    ``Action``."""
    if type(result) is list:
        try:
            return [_action(item) for item in result]
        except _Unusual:
            pass
    return _with_model(result, "Action", PromoAction)


def parse_ids(raw: Any) -> list[int]:
    """The ``product_ids`` of a ``/v2/actions/products/deactivate`` or auto-add delete
    answer (``{"product_ids": [...]}``, ids as ints or digit strings; left out: none);
    any other shape goes to ``IdsResult``."""
    try:
        return _ids(raw)
    except _Unusual:
        pass
    from ozonctl.client.models.promos import IdsResult

    ids: list[int] = IdsResult.model_validate(raw).product_ids
    return ids


def _with_model(items: Any, model: str, cls: type[_Row]) -> list[_Row]:
    """``items`` read by the pydantic model named ``model`` (of ``promos``), as ``cls``
    tuples: Money as :class:`Amount`, lists as tuples."""
    from ozonctl.client.models import promos
    from ozonctl.client.models.common import Money, adapter

    def lean(value: Any) -> Any:
        if isinstance(value, Money):
            return Amount(value.amount, value.currency)
        if isinstance(value, list):
            return tuple(value)
        return value

    fields = cls._fields
    parsed = adapter(list[getattr(promos, model)]).validate_python(items)  # type: ignore[misc]
    make: Callable[..., _Row] = cls
    return [make(*[lean(getattr(m, f)) for f in fields]) for m in parsed]
