"""The JSON a command writes, defined once per entity (``cli/schemas.py`` holds them).

A :class:`Schema` is a list of fields, each with a key, a kind and a line of meaning.
``conform(row)`` is what ``--json`` writes for a row: every key of the schema, in its
order, null when the row does not know it, each value in its kind's JSON form:

| kind | JSON |
|---|---|
| ``string``, ``text`` | a string (``text``: free text, shortened in tables) |
| ``integer`` | a number without decimals |
| ``number`` | a number (percentages, ratios, hours) |
| ``money`` | a string with two decimals, ``"1809.00"``: no amount passes through a float |
| ``id`` | a number, or a string above 2^53 (what a JavaScript reader keeps exact) |
| ``boolean`` | ``true`` / ``false`` |
| ``datetime`` | ISO 8601 with the offset, ``2026-11-27T14:00:00+00:00`` |
| ``date`` | ``2026-11-27`` |
| ``array`` | an array (of ``items``: a kind or a schema) |
| ``object`` | an object (of a schema when given) |

The same definition gives the JSON Schema a test validates a command's output against
(``json_schema``) and the table docs/scripting.md shows (``markdown``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ozonctl.cli.times import iso

SAFE_INTEGER = 2**53
"""The largest integer every JSON reader keeps exact (JavaScript's); an id above it is
written as a string."""

KINDS = (
    "string",
    "text",
    "integer",
    "number",
    "money",
    "id",
    "boolean",
    "datetime",
    "date",
    "array",
    "object",
)

CENT = Decimal("0.01")
_MONEY_PATTERN = r"^-?\d+\.\d{2}$"
_DATETIME_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"
_DATE_PATTERN = r"^\d{4}-\d\d-\d\d$"


@dataclass(frozen=True)
class Field:
    """One key of a schema."""

    key: str
    kind: str
    doc: str
    items: str | Schema | None = None
    """An array's items (a kind or a schema); an object's schema."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Schema:
    """The JSON of one entity (a product, a posting, …): its fields in order."""

    name: str
    """What docs/scripting.md calls it: ``posting``."""
    fields: tuple[Field, ...]
    doc: str = ""
    commands: tuple[str, ...] = ()
    """The commands that write it (docs)."""
    _converters: tuple[tuple[str, Callable[[Any], Any]], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: a key twice")
        object.__setattr__(self, "_converters", tuple((f.key, converter(f)) for f in self.fields))

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def extend(
        self, name: str, *fields: Field, doc: str = "", commands: Sequence[str] = ()
    ) -> Schema:
        """This schema's fields and ``fields`` after them, under another name."""
        return Schema(name, (*self.fields, *fields), doc=doc, commands=tuple(commands))

    def conform(self, row: Any) -> dict[str, Any]:
        """``row`` (a dict, or an object with these attributes) as the schema writes it.
        A missing or None value is null in every kind: no converter is called for it (a
        result row has values for about a third of its schema's keys)."""
        if isinstance(row, Mapping):
            get = row.get
            return {
                key: None if (v := get(key)) is None else convert(v)
                for key, convert in self._converters
            }
        return {
            key: None if (v := getattr(row, key, None)) is None else convert(v)
            for key, convert in self._converters
        }

    def json_schema(self) -> dict[str, Any]:
        """A JSON Schema (draft 2020-12) of one item: every key required, no other key."""
        return {
            "type": "object",
            "properties": {f.key: _field_schema(f) for f in self.fields},
            "required": self.keys,
            "additionalProperties": False,
        }

    def markdown(self) -> str:
        """The schema as a Markdown table (docs/scripting.md)."""
        lines = ["| Key | Type | Meaning |", "|---|---|---|"]
        for f in self.fields:
            kind = f.kind
            if f.items is not None:
                inner = f.items if isinstance(f.items, str) else f"`{f.items.name}`"
                kind = f"{kind} of {inner}"
            lines.append(f"| `{f.key}` | {kind} | {f.doc} |")
        return "\n".join(lines)


def _field_schema(f: Field) -> dict[str, Any]:
    return _kind_schema(f.kind, f.items)


def _kind_schema(kind: str, items: str | Schema | None) -> dict[str, Any]:
    nullable: dict[str, Any]
    if kind in ("string", "text"):
        nullable = {"type": ["string", "null"]}
    elif kind == "integer":
        nullable = {"type": ["integer", "null"]}
    elif kind == "number":
        nullable = {"type": ["number", "null"]}
    elif kind == "money":
        nullable = {"type": ["string", "null"], "pattern": _MONEY_PATTERN}
    elif kind == "id":
        nullable = {
            "type": ["integer", "string", "null"],
            "maximum": SAFE_INTEGER,
            "pattern": r"^\S+$",
        }
    elif kind == "boolean":
        nullable = {"type": ["boolean", "null"]}
    elif kind == "datetime":
        nullable = {"type": ["string", "null"], "pattern": _DATETIME_PATTERN}
    elif kind == "date":
        nullable = {"type": ["string", "null"], "pattern": _DATE_PATTERN}
    elif kind == "array":
        inner: dict[str, Any] = {}
        if isinstance(items, Schema):
            inner = items.json_schema()
        elif items is not None:
            inner = _kind_schema(items, None)
        nullable = {"type": ["array", "null"], "items": inner}
    else:  # object
        nullable = (
            {**items.json_schema(), "type": ["object", "null"]}
            if isinstance(items, Schema)
            else {"type": ["object", "null"]}
        )
    return nullable


# -- conversion -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return value


# Each converter first takes the value a row usually holds (its kind's own type) as it
# is, then the rest: a 100,000-row listing calls them 1.5 million times.


def _string(value: Any) -> Any:
    if type(value) is str:
        return value
    value = _plain(value)
    return None if value is None else value if isinstance(value, str) else str(value)


def _integer(value: Any) -> Any:
    if type(value) is int:
        return value
    value = _plain(value)
    if value is None or value == "":
        return None
    return value if type(value) is int else int(value)


def _decimal(value: Any) -> Decimal | None:
    if type(value) is Decimal:
        return value
    value = _plain(value)
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def _number(value: Any) -> Any:
    if type(value) is int or type(value) is float:
        return value
    d = _decimal(value)
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() and d.as_tuple().exponent == 0 else float(d)


def _money(value: Any) -> Any:
    d = _decimal(value)
    return None if d is None else str(d.quantize(CENT))


def _id(value: Any) -> Any:
    if type(value) is int and -SAFE_INTEGER <= value <= SAFE_INTEGER:
        return value
    value = _plain(value)
    if value is None or value == "":
        return None
    if type(value) is int:
        return value if -SAFE_INTEGER <= value <= SAFE_INTEGER else str(value)
    return value if isinstance(value, str) else str(value)


def _boolean(value: Any) -> Any:
    return None if value is None else bool(value)


def _datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return iso(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    return str(value)


def _date(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return iso(value)[:10]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_SIMPLE: dict[str, Callable[[Any], Any]] = {
    "string": _string,
    "text": _string,
    "integer": _integer,
    "number": _number,
    "money": _money,
    "id": _id,
    "boolean": _boolean,
    "datetime": _datetime,
    "date": _date,
}


def _dumped(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    return value


def converter(f: Field) -> Callable[[Any], Any]:
    """The function that turns a row's value into the JSON of ``f``'s kind."""
    if f.kind in _SIMPLE:
        return _SIMPLE[f.kind]
    items = f.items
    if f.kind == "array":
        each: Callable[[Any], Any]
        if isinstance(items, Schema):
            each = items.conform
        elif isinstance(items, str):
            each = _SIMPLE.get(items, _dumped)
        else:
            each = _dumped

        def array(value: Any) -> Any:
            return None if value is None else [each(v) for v in value]

        return array
    if isinstance(items, Schema):
        nested = items

        def obj(value: Any) -> Any:
            return None if value is None else nested.conform(value)

        return obj
    return _dumped
