"""Options that take one of a closed set of values (``--status``, ``--schema``, …).

``typer.Option("--status", callback=one_of(*STATUSES))``: the value is matched in any
case and becomes the set's own spelling; an unknown one is a usage error (exit 2) that
lists the valid values, before anything is sent. Without it a typo is sent to Ozon as a
filter that matches nothing: an empty result and exit 0, which in cron reads as
"nothing to do" forever. Works for single and repeatable options alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer


def one_of(*values: str) -> Callable[[Any], Any]:
    """A typer option callback that accepts only ``values`` (any case), returned in
    their own spelling; ``None`` (the option not given) passes through."""
    known = {value.casefold(): value for value in values}

    def one(text: str) -> str:
        found = known.get(text.strip().casefold())
        if found is None:
            raise typer.BadParameter(f"{text!r} is not one of: {', '.join(values)}")
        return found

    def check(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Sequence) and not isinstance(value, str):
            return [one(v) for v in value]
        return one(value)

    return check
