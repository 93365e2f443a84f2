"""What the listing commands share: the products named (:mod:`ozonctl.cli.fromfile`
reads the lists), resolving them through the
catalogue index, CSV input, and the outcomes of a bulk write (the plan of a dry run, each
product's result, printed with the exit-3 rule)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ozonctl.errors import PartialFailure, UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.catalog.resolve import Resolved
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
    """Entries for ``tokens`` (:mod:`ozonctl.catalog.resolve`: the index as it is, then
    one batched request for the tokens it does not know), the unknown tokens and the
    index. Exit 2 for a token that names two products."""
    got, index = resolved(ctx, client, tokens)
    return got.found, got.unknown, index


def resolved(
    ctx: AppContext, client: OzonClient, tokens: Sequence[str]
) -> tuple[Resolved, CatalogIndex]:
    """What each of ``tokens`` names, and the local index it was looked up in."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.resolve import resolve as resolve_tokens

    index = CatalogIndex.load(ctx.catalog_dir())
    return resolve_tokens(tokens, index, client), index


def known_products(
    ctx: AppContext, client: OzonClient, tokens: Sequence[str]
) -> list[CatalogEntry]:
    """Entries for ``tokens``; any unknown one stops the command (exit 2)."""
    found, unknown, _ = resolve(ctx, client, tokens)
    require_known(ctx, unknown)
    return found


def named_by_offer(token: str, entry: CatalogEntry) -> str | None:
    """The offer id when ``token`` names ``entry`` by it (bare or ``offer:``): a write
    then names the product so, and Ozon changes the product with that offer id now,
    whatever the local index says."""
    from ozonctl.catalog.resolve import parse

    ref = parse(token)
    return entry.offer_id if ref.kind in (None, "offer") and ref.value == entry.offer_id else None


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
    """Exit 2 naming the unknown tokens, if any."""
    from ozonctl.catalog.resolve import unknown_error

    if unknown:
        raise unknown_error(unknown)


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
    from ozonctl.cli.write_schemas import PRODUCT_CHANGE

    ctx.output.outcomes(
        cols,
        [o.row() for o in outcomes],
        ref=ref,
        dry_run=ctx.dry_run,
        counts=dict(counts),
        schema=PRODUCT_CHANGE,
    )
    ctx.output.info(f"{verb}: {summary}" + (f" (journal {ref})" if ref else ""))
    failed = counts.get("failed", 0)
    unknown = counts.get("unknown", 0)
    n = len(outcomes)
    if counts.get("not_found"):
        failed += counts["not_found"]
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


def not_found(tokens: Sequence[str]) -> list[Outcome]:
    """The outcome of each token of a bulk write that names no product: ``not_found``
    (the token as given under ``offer_id``, as the promo writes have it); exit 3."""
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.domain.product_outcome import Outcome

    return [
        Outcome(
            CatalogEntry(0, t, 0, "", False, None),
            "not_found",
            "no product has this offer id, SKU or product id",
        )
        for t in tokens
    ]


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


PREFIX_OF_COLUMN = {"offer_id": "offer:", "sku": "sku:", "product_id": "id:"}
"""A file's product column says which id it holds: its value is resolved as that id."""


def resolve_rows(
    ctx: AppContext,
    client: OzonClient,
    rows: Sequence[tuple[int, dict[str, str]]],
    problems: Problems,
) -> list[tuple[int, CatalogEntry, dict[str, str]]]:
    """Each row's product (its first product column, as the id that column names)
    through the resolver; a row without a product or with an unknown one is a
    problem and left out."""
    tokens = []
    for n, row in rows:
        column = next((c for c in PRODUCT_COLUMNS if row.get(c)), None)
        value = row[column].strip() if column else ""
        if column is None:
            problems.add(n, "no offer_id/sku/product_id (Артикул, SKU)")
        elif column != "offer_id" and not value.isdigit():
            problems.add(n, f"{column} {value!r} is not a number")
        else:
            tokens.append(PREFIX_OF_COLUMN[column] + value)
            continue
        tokens.append("")
    got, _ = resolved(ctx, client, [t for t in tokens if t])
    entries = iter(got.entries)
    out = []
    for (n, row), token in zip(rows, tokens, strict=True):
        entry = next(entries) if token else None
        if entry is not None:
            out.append((n, entry, row))
        elif token:
            problems.add(n, f"unknown product {token.partition(':')[2]}")
    return out


def by_offer_id(row: dict[str, str], entry: CatalogEntry) -> str | None:
    """The offer id a write should name its product by, when the row names it so: Ozon
    applies a stock or price to the product with that offer id, whatever the local
    index (maybe hours old) says its product id is."""
    offer = row.get("offer_id")
    return offer if offer and offer == entry.offer_id else None
