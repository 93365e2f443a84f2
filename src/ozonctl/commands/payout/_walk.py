"""What the accrual commands share beyond ``ozonctl.domain.ledger``: the note about
``other`` types."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.domain.ledger import Totals


def note_other_types(output: Output, totals: Totals) -> None:
    """List on stderr the types that went to ``other`` (never silently dropped)."""
    others = totals.other_types()
    if not others:
        return
    listed = "; ".join(
        f"{o.name}"
        + (f" [id {o.type_id}]" if o.type_id is not None else "")
        + f": {o.amount} {o.currency} in {o.lines} line{'' if o.lines == 1 else 's'}"
        for o in others
    )
    output.warn(f"{len(others)} accrual type(s) not mapped to a kind, counted as other: {listed}")
