"""What ``listing restore`` needs of an archive run besides unarchiving: which products
the run archived (or may have: in doubt), and putting back the FBS stock its
``--zero-stock`` set to 0 and naming the promotions Ozon took the products out of. Takes
a client and journal operations (no CLI context)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ozonctl.domain.archive_cards import as_int
from ozonctl.domain.archiving import in_doubt, next_step, stock_notes

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.product_outcome import Outcome
    from ozonctl.state.journal import Operation


def changed_by(op: Operation, target: str = "archived") -> set[int]:
    """Products ``op`` verified as ``target``."""
    out: set[int] = set()
    for _, name, data in op.entries():
        if name == "verified":
            out.update(int(p) for p in data.get(target, []))
    return out


def to_restore(op: Operation) -> list[int]:
    """Products a restore of archive run ``op`` should check: those it verified archived
    and those in doubt; when a step of ``op`` could not be read (a crash mid-write, a
    hand edit), every product it planned (the caller reads their state back from Ozon and
    unarchives only those still archived)."""
    pids = changed_by(op, "archived") | set(in_doubt(op)[0])
    if any(not data for _, _, data in op.entries()):
        for _, name, data in op.entries():
            if name == "planned":
                pids.update(int(p) for p in data.get("product_id", []))
    return sorted(pids)


def _note(o: Outcome, text: str) -> None:
    o.note = f"{o.note}; {text}" if o.note else text


def put_back(
    client: OzonClient, source: Operation, op: Operation, outcomes: Sequence[Outcome]
) -> None:
    """What ``listing restore`` puts back besides the visibility, for the products
    ``outcomes`` unarchived: the FBS stock ``source``'s ``--zero-stock`` set to 0, per
    warehouse; each outcome's note says what was put back or why not, and which
    products were in promotions that Ozon took them out of (not put back)."""
    back = {o.entry.product_id: o for o in outcomes if o.result == "unarchived"}
    _put_back_stock(client, source, op, back)
    for _, name, data in source.entries():
        if name != "promotions":
            continue
        for row in data.get("in", []):
            o = back.get(as_int(row[0])) if len(row) == 2 else None
            if o is not None:
                _note(
                    o,
                    f"was in {as_int(row[1])} promotion(s) when archived; Ozon took it out and "
                    "does not put it back: join again with `ozonctl promo join`",
                )


def _put_back_stock(
    client: OzonClient, source: Operation, op: Operation, back: dict[int, Outcome]
) -> None:
    from ozonctl.client.models.products import StockUpdate

    before: list[tuple[int, int, int]] = []
    for _, name, data in source.entries():
        if name != "zero-stock":
            continue
        for row in data.get("before", []):
            if len(row) >= 3 and as_int(row[0]) in back:
                reserved = as_int(row[3]) if len(row) > 3 else 0
                before.append((as_int(row[0]), as_int(row[1]), max(0, as_int(row[2]) - reserved)))
    if not before:
        return
    op.record(next_step(op), "stock-planned", {"stock": [list(b) for b in before]})
    updates = [StockUpdate(product_id=p, warehouse_id=w, stock=n) for p, w, n in before]
    bad = stock_notes(client.products.set_stocks(updates))
    put: dict[int, list[str]] = {}
    for pid, wh, n in before:
        put.setdefault(pid, []).append(f"{n} at warehouse {wh}")
    for pid, where in put.items():
        if pid in bad:
            _note(
                back[pid],
                f"stock not put back ({', '.join(where)}): {bad[pid]}; set it with "
                "`ozonctl listing stock set`",
            )
        else:
            _note(back[pid], f"stock put back: {', '.join(where)}")
    op.record(
        next_step(op),
        "stock-restored",
        {"product_id": [p for p in put if p not in bad], "failed": [[p, bad[p]] for p in bad]},
    )
