"""What the listing commands share: the products named (:mod:`ozonctl.cli.fromfile`
reads the lists), resolving them through the
catalogue index, CSV input, and the outcomes of a bulk write (the plan of a dry run, each
product's result, printed with the exit-3 rule)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ozonctl.errors import PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.cli.context import AppContext
    from ozonctl.cli.output import Column
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.product_outcome import Outcome
    from ozonctl.sellerfiles import Problems


def product_tokens(products: Sequence[str], from_file: str | None) -> list[str]:
    """Products named as arguments, in ``--from-file FILE`` (``-``: stdin), or piped on
    stdin when neither is given."""
    from ozonctl.cli.fromfile import read_ids

    tokens = list(products)
    if from_file is not None:
        tokens += read_ids(from_file)
    elif not tokens and not sys.stdin.isatty():
        tokens = read_ids("-", source="stdin")
    if not tokens:
        raise UsageError(
            "no products given", hint="name offer ids, SKUs or product ids, or use --from-file"
        )
    return tokens


def resolve(
    ctx: AppContext, client: OzonClient, tokens: Sequence[str]
) -> tuple[list[CatalogEntry], list[str], CatalogIndex]:
    """Entries for ``tokens`` through the index; an unknown token makes one refresh."""
    from ozonctl.catalog.index import CatalogIndex

    index = CatalogIndex.ensure(ctx.catalog_dir(), lambda: client, say=ctx.output.info)
    found, unknown = index.resolve_all(tokens)
    if unknown and not index.is_stale(dt.timedelta(minutes=1)):
        return found, unknown, index
    if unknown:
        index = CatalogIndex.refresh(ctx.catalog_dir(), client)
        found, unknown = index.resolve_all(tokens)
    return found, unknown, index


def known_products(
    ctx: AppContext, client: OzonClient, tokens: Sequence[str]
) -> list[CatalogEntry]:
    """Entries for ``tokens``; any unknown one stops the command (exit 2)."""
    found, unknown, _ = resolve(ctx, client, tokens)
    require_known(ctx, unknown)
    return found


def item_notes(result: Any, key: Callable[[Any], Hashable]) -> dict[Hashable, tuple[str, str]]:
    """``{key: (result, note)}`` from a resource's ``ItemResults``: ``updated``, or
    ``failed`` with Ozon's per-item errors, the failed batch's error, or "not sent"."""
    notes: dict[Hashable, tuple[str, str]] = {}
    updated = ("updated", "")
    for r in result.results:
        if r.updated:
            notes[key(r)] = updated
        else:
            text = "; ".join(e.text() for e in r.errors)
            notes[key(r)] = ("failed", text or "not updated")
    for item, err in result.failed:
        notes[key(item)] = ("failed", str(err))
    for item in result.not_sent:
        notes[key(item)] = ("failed", "not sent")
    return notes


def require_known(ctx: AppContext, unknown: Sequence[str]) -> None:
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise UsageError(
            f"unknown product{'s' if len(unknown) > 1 else ''}: {shown}",
            hint="check the offer ids/SKUs, or run `ozonctl sync`",
        )


def emit_outcomes(
    ctx: AppContext,
    outcomes: Sequence[Outcome],
    *,
    verb: str,
    ref: str | None = None,
    columns: Sequence[Column] | None = None,
) -> None:
    """Print per-item outcomes (a table/TSV, or one JSON document with the journal ref),
    a summary line on stderr, and raise ``PartialFailure`` (exit 3) if any failed."""
    from collections import Counter

    from ozonctl.cli.output import Column

    counts = Counter(o.result for o in outcomes)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to do"
    cols = list(
        columns
        or [
            Column("offer_id", "Offer ID"),
            Column("product_id", "Product ID", justify="right"),
            Column("sku", "SKU", justify="right"),
            Column("result", "Result"),
            Column("note", "Note"),
        ]
    )
    ctx.output.outcomes(
        cols, [o.row() for o in outcomes], ref=ref, dry_run=ctx.dry_run, counts=dict(counts)
    )
    ctx.output.info(f"{verb}: {summary}" + (f" (journal {ref})" if ref else ""))
    failed = counts.get("failed", 0)
    unknown = counts.get("unknown", 0)
    n = len(outcomes)
    if failed and unknown:
        raise PartialFailure(
            f"{failed} of {n} products failed, {unknown} unknown (no answer; may have been "
            "applied: check before sending again); listed above"
        )
    if failed:
        raise PartialFailure(f"{failed} of {n} products failed; listed above")
    if unknown:
        raise PartialFailure(
            f"{unknown} of {n} products unknown (no answer; may have been applied: check "
            "before sending again); listed above"
        )


PRODUCT_COLUMNS = ("offer_id", "sku", "product_id")
"""The columns that name a row's product, in the order they are trusted."""


def write_columns(*own: Column) -> list[Column]:
    """The columns of a bulk write's outcomes: the offer id, the write's ``own`` columns
    (what it sets), the result and its note."""
    from ozonctl.cli.output import Column

    return [
        Column("offer_id", "Offer ID"),
        *own,
        Column("result", "Result"),
        Column("note", "Note"),
    ]


def plan_outcomes(
    entries: Sequence[CatalogEntry],
    extra: Sequence[dict[str, Any]],
    sending: Collection[int] | None = None,
) -> list[Outcome]:
    """What a ``--dry-run`` shows: each product ``planned``, or ``unchanged`` when its
    place is not in ``sending`` (``None``: every product would be sent)."""
    from ozonctl.domain.product_outcome import Outcome

    return [
        Outcome(e, "planned" if sending is None or i in sending else "unchanged", "", x)
        for i, (e, x) in enumerate(zip(entries, extra, strict=True))
    ]


def run_outcomes(
    entries: Sequence[CatalogEntry],
    notes: Mapping[int, tuple[str, str]],
    extra: Sequence[dict[str, Any]],
) -> list[Outcome]:
    """Each product's outcome after a run: ``notes[place]`` (result, note) for those the
    run sent or read back, ``unchanged`` ("already so") for the rest."""
    from ozonctl.domain.product_outcome import Outcome

    return [
        Outcome(e, *notes.get(i, ("unchanged", "already so")), x)
        for i, (e, x) in enumerate(zip(entries, extra, strict=True))
    ]


def resolve_rows(
    ctx: AppContext,
    client: OzonClient,
    rows: Sequence[tuple[int, dict[str, str]]],
    problems: Problems,
) -> list[tuple[int, CatalogEntry, dict[str, str]]]:
    """Each row's product through the index (one refresh when some are unknown); a
    row without a product or with an unknown one is a problem and left out."""
    from ozonctl.sellerfiles import pick

    tokens = [pick(row, PRODUCT_COLUMNS) for _, row in rows]
    _, unknown, index = resolve(ctx, client, [t for t in tokens if t])
    missing = set(unknown)
    out = []
    for (n, row), token, entry in zip(rows, tokens, index.resolve_each(tokens), strict=True):
        if not token:
            problems.add(n, "no offer_id/sku/product_id (Артикул, SKU)")
        elif token in missing or entry is None:
            problems.add(n, f"unknown product {token}")
        else:
            out.append((n, entry, row))
    return out


def by_offer_id(row: dict[str, str], entry: CatalogEntry) -> str | None:
    """The offer id a write should name its product by, when the row names it so: Ozon
    applies a stock or price to the product with that offer id, whatever the local
    index (maybe hours old) says its product id is."""
    offer = row.get("offer_id")
    return offer if offer and offer == entry.offer_id else None
