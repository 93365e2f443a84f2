"""Comma-separated lists wherever an option may repeat: ``--status a,b`` is
``--status a --status b``, ``--sku 1,2`` is ``--sku 1 --sku 2``.

``typer.Option("--sku", **commas(int))``: each value given is split at commas (blanks
dropped) and each part converted (``int``, …; a bad part is exit 2 naming it), then the
lists are joined into one, in order, and handed to ``then`` (e.g. ``one_of(...)``) when
given. Every repeatable option takes it (``tests/unit/core/test_commas.py`` walks
them); the one exception is ``order ship --package``, where a comma joins the items of
one package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def commas(
    convert: Callable[[str], Any] = str, *, then: Callable[[Any], Any] | None = None
) -> dict[str, Any]:
    """The ``parser`` and ``callback`` of a repeatable option that takes commas."""

    def parse(text: Any) -> list[Any]:
        parts = [p.strip() for p in str(text).split(",")]
        try:
            return [convert(p) for p in parts if p]
        except ValueError:
            bad = [p for p in parts if p and not _converts(convert, p)]
            raise typer.BadParameter(f"{bad[0]!r} is not a valid value") from None

    def joined(value: Any) -> Any:
        """The parts of every value, in order, as one list."""
        if value is None:
            return None
        flat = [part for v in value for part in (v if isinstance(v, list) else [v])]
        return then(flat) if then is not None else flat

    return {"parser": parse, "callback": joined}


def takes_commas(callback: Any) -> bool:
    """Whether an option's ``callback`` is one :func:`commas` made (for the walk test)."""
    return getattr(callback, "__qualname__", "") == "commas.<locals>.joined"


def _converts(convert: Callable[[str], Any], text: str) -> bool:
    try:
        convert(text)
    except ValueError:
        return False
    return True
