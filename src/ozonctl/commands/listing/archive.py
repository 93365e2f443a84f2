"""``listing archive``, ``unarchive``, ``delete`` and ``restore``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.product_outcome import Outcome

Products = Annotated[
    list[str] | None,
    typer.Argument(
        help="Offer ids, SKUs or product ids (or --from-file, or stdin).", show_default=False
    ),
]
Reason = Annotated[str | None, typer.Option("--reason", help="Why, kept in the local journal.")]
Verify = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="Read every product back from Ozon afterwards (1 request per 1000) instead of "
        "trusting its answer per batch of 100; batches that failed or timed out are always "
        "read back.",
    ),
]


def plan_rows(
    ctx: AppContext,
    entries: list[CatalogEntry],
    action: str,
    refused: Iterable[Outcome] = (),
    missing: Sequence[Outcome] = (),
) -> None:
    """The plan of a dry run: each product and what would be done to it; ``refused``
    ones (``listing delete`` of a product with a SKU) with why, so no name goes missing;
    the names that are no product as ``not_found`` (exit 3)."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import PRODUCT_CHANGE
    from ozonctl.errors import PartialFailure

    rows = [{**e.as_row(), "result": action, "note": ""} for e in entries]
    rows += [{**o.entry.as_row(), "result": "refused", "note": o.note} for o in refused]
    rows += [
        {**m.entry.as_row(), "product_id": None, "result": m.result, "note": m.note}
        for m in missing
    ]
    ctx.output.outcomes(
        [
            Column("offer_id", "Offer ID"),
            Column("product_id", "Product ID", justify="right"),
            Column("sku", "SKU", justify="right"),
            Column("name", "Name", max_width=40),
            Column("result", "Would"),
            Column("note", "Note", max_width=40),
        ],
        rows,
        ref=None,
        dry_run=True,
        key="result",
        schema=PRODUCT_CHANGE,
    )
    ctx.output.info(f"dry run: would {action} {len(entries)} products; nothing was sent")
    if missing:
        raise PartialFailure(f"{len(missing)} products not found; listed above")


AllowReserved = Annotated[
    bool,
    typer.Option(
        "--allow-reserved",
        help="Archive products with units reserved for orders not shipped yet too (held "
        "back by default: archiving them would strand the orders).",
    ),
]
RESUMED_KINDS = ("archive", "unarchive", "restore")
"""Journal kinds a plain archive, unarchive or restore settles when a run was killed."""


def settle_killed(ctx: AppContext, client: OzonClient) -> None:
    """Settle killed archive, unarchive and restore runs (under the lock): their requests
    that may still be in flight are waited out, their products read back and recorded,
    so this run sends only what is not done."""
    from ozonctl.domain.archiving import settle

    settled = settle(
        client,
        ctx.journal("listing"),
        RESUMED_KINDS,
        timeout=ctx.profile.timeout,
        wait=True,
        say=ctx.output.info,
    )
    for note in settled.notes:
        ctx.output.info(note)


def recheck(
    ctx: AppContext,
    client: OzonClient,
    tokens: Sequence[str],
    outcomes: list[Outcome],
    stale: Sequence[CatalogEntry],
    change: Callable[[list[CatalogEntry]], list[Outcome]],
) -> tuple[list[Outcome], CatalogIndex]:
    """When Ozon did not know a product or knew it by another offer id than the index
    (the index is as old as the last sync; those were not sent), the index is refreshed
    from Ozon and the tokens resolved again; ``change`` archives (or unarchives) the
    products named now that the first pass did not handle, so a write never goes to the
    product an old mapping names. Returns the outcomes of the products named now, in
    the order named, and the refreshed index."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.resolve import resolve as resolve_tokens

    ctx.output.info("the catalogue index disagrees with Ozon; refreshing it…")
    index = CatalogIndex.refresh(ctx.catalog_dir(), client)
    found = resolve_tokens(tokens, index, client).found
    wrong = {e.product_id for e in stale}
    handled = {o.entry.product_id: o for o in outcomes if o.entry.product_id not in wrong}
    rest = [e for e in found if e.product_id not in handled]
    again = {o.entry.product_id: o for o in change(rest)}
    return [handled.get(e.product_id) or again[e.product_id] for e in found], index


def _archive_or_unarchive(
    products: list[str] | None,
    from_file: str | None,
    reason: str | None,
    *,
    archive: bool,
    zero_stock: bool = False,
    verify: bool = False,
    allow_reserved: bool = False,
) -> None:
    from ozonctl.commands.listing._common import (
        emit_outcomes,
        not_found,
        product_tokens,
        resolve,
    )
    from ozonctl.domain.archiving import change_archived

    verb = "archive" if archive else "unarchive"
    ctx = app_context()
    tokens = product_tokens(products or [], from_file)
    client = ctx.client()
    ctx.expect_writes()  # the key's roles are read while the index loads
    found, unknown, index = resolve(ctx, client, tokens)
    missing = not_found(unknown)
    if ctx.dry_run:
        plan_rows(ctx, found, verb + (" (stock to 0 first)" if zero_stock else ""), missing)
        return
    if not found:
        emit_outcomes(ctx, missing, verb=verb)
        return
    ctx.confirm(f"{verb.capitalize()} {len(found)} products?")
    with ctx.lock(f"listing {verb}"):
        settle_killed(ctx, client)
        ctx.check_roles(f"product.{verb}", *(["product.stocks.update"] if zero_stock else []))
        op = ctx.journal("listing").new(
            verb, reason=reason or "", products=len(found), zero_stock=zero_stock
        )
        stale: list[CatalogEntry] = []

        def change(entries: list[CatalogEntry]) -> list[Outcome]:
            return change_archived(
                client,
                entries,
                archive=archive,
                op=op,
                zero_stock=zero_stock,
                warn=ctx.output.warn,
                verify_all=verify,
                allow_reserved=allow_reserved,
                stale=stale,
            )

        outcomes = change(found)
        if stale:
            outcomes, index = recheck(ctx, client, tokens, outcomes, list(stale), change)
        failed = sum(o.failed for o in outcomes)
        with remembering(index, outcomes, archive):
            op.update(status="partial" if failed else "done", failed=failed)
            emit_outcomes(ctx, [*outcomes, *missing], verb=verb, ref=op.ref)


def reread(index: CatalogIndex) -> CatalogIndex:
    """The index as stored now (called under the state lock): another run may have
    written it since ``index`` was read, and its changes must not be overwritten."""
    return index.as_stored()


@contextmanager
def remembering(index: CatalogIndex, outcomes: Sequence[Outcome], archive: bool) -> Iterator[None]:
    """Mark the products now in the wanted state in the index -- as stored now, re-read
    under the lock -- and save it while the body runs (the journal's last word, printing
    the outcomes): the file's bytes are made first, then written and fsynced in a thread
    of its own, waited for on leaving, so the lock around it covers the write and its
    error is raised."""
    target = "archived" if archive else "unarchived"
    changed = [o.entry.product_id for o in outcomes if o.result in (target, "unchanged")]
    if not changed or index.path is None:
        yield
        return
    index = reread(index)
    index.add(o.entry for o in outcomes)  # products the resolver read from Ozon
    index.mark_archived(changed, archive)
    saved = index.write_in_background()
    try:
        yield
    finally:
        saved.result()


def archive(
    products: Products = None,
    from_file: FromFileOption = None,
    reason: Reason = None,
    zero_stock: Annotated[
        bool,
        typer.Option("--zero-stock", help="Set FBS stock to 0 first, so nothing sells meanwhile."),
    ] = False,
    verify: Verify = False,
    allow_reserved: AllowReserved = False,
) -> None:
    """Archive (delist) products, 100 a request, with an outcome for each.

    Ozon answers once per batch; a batch that failed or timed out is read back, never
    resent (--verify reads every product back). Products with units reserved for orders
    not shipped yet are held back (--allow-reserved). A killed run's rerun sends only
    what is not done. Exit 3 when some failed (listed)."""
    _archive_or_unarchive(
        products,
        from_file,
        reason,
        archive=True,
        zero_stock=zero_stock,
        verify=verify,
        allow_reserved=allow_reserved,
    )


def unarchive(
    products: Products = None,
    from_file: FromFileOption = None,
    reason: Reason = None,
    verify: Verify = False,
) -> None:
    """Put archived products back on sale, 100 a request, with an outcome for each.

    Ozon restores at most 100 auto-archived products a day (manually archived ones
    are unlimited); its refusals are shown per product. Exit 3 when some failed."""
    _archive_or_unarchive(products, from_file, reason, archive=False, verify=verify)


def delete(products: Products = None, from_file: FromFileOption = None) -> None:
    """Delete archived products that have no SKU (Ozon's only deletable kind).

    Asks for confirmation (--yes where it cannot ask). Exit 3 when some failed."""
    from ozonctl.commands.listing._common import (
        emit_outcomes,
        not_found,
        product_tokens,
        resolve,
    )
    from ozonctl.domain.product_outcome import Outcome

    ctx = app_context()
    tokens = product_tokens(products or [], from_file)
    client = ctx.client()
    found, unknown, index = resolve(ctx, client, tokens)
    missing = not_found(unknown)
    state = {i.id: i for i in client.products.info(product_ids=[e.product_id for e in found])}
    outcomes: dict[int, Outcome] = {}
    todo = []
    for e in found:
        info = state.get(e.product_id)
        if info is None:
            outcomes[e.product_id] = Outcome(e, "failed", "Ozon does not know this product")
        elif not info.is_archived:
            outcomes[e.product_id] = Outcome(e, "failed", "not archived: archive it first")
        elif info.sku:
            outcomes[e.product_id] = Outcome(
                e, "failed", "has a SKU: Ozon deletes only products without one"
            )
        else:
            todo.append(e)
    if ctx.dry_run:
        plan_rows(ctx, todo, "delete", refused=outcomes.values(), missing=missing)
        return
    if todo:
        ctx.confirm(f"Delete {len(todo)} archived products for good?")
        with ctx.lock("listing delete"):
            ctx.check_roles("product.delete")
            op = ctx.journal("listing").new("delete", products=len(todo))
            op.record(1, "planned", {"offer_id": [e.offer_id for e in todo]})
            result = client.products.delete([e.offer_id for e in todo])
            by_offer = {e.offer_id: e for e in todo}
            for st in result.results:
                hit = by_offer.get(st.offer_id)
                if hit is not None:
                    outcomes[hit.product_id] = (
                        Outcome(hit, "deleted")
                        if st.is_deleted
                        else Outcome(hit, "failed", st.error or "not deleted")
                    )
            for offer_id, err in result.failed:
                outcomes[by_offer[offer_id].product_id] = Outcome(
                    by_offer[offer_id], "failed", str(err)
                )
            for e in todo:
                outcomes.setdefault(e.product_id, Outcome(e, "failed", "no answer for it"))
            deleted = [e.offer_id for e in todo if outcomes[e.product_id].result == "deleted"]
            op.record(2, "done", {"deleted": deleted})
            op.update(status="done" if len(deleted) == len(todo) else "partial")
            if deleted and index.path is not None:
                index = reread(index)
                index.drop(e.product_id for e in todo if e.offer_id in set(deleted))
                index.write()
        ref: str | None = op.ref
    else:
        ref = None
    emit_outcomes(ctx, [*(outcomes[e.product_id] for e in found), *missing], verb="delete", ref=ref)


def restore(
    ref: Annotated[
        str, typer.Argument(help="Journal ref of an archive or delist-stale run, or 'last'.")
    ],
) -> None:
    """Put back what an `archive` or `delist-stale` run changed.

    Reads the run's journal, checks each product's state and unarchives those still
    archived; the FBS stock --zero-stock set to 0 is set back per warehouse. Exit 3 when
    some failed (e.g. Ozon's daily limit for auto-archived ones)."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.commands.listing._common import emit_outcomes
    from ozonctl.domain.archive_restore import put_back, to_restore
    from ozonctl.domain.archiving import change_archived

    ctx = app_context()
    journal = ctx.journal("listing")
    if ref == "last":
        ops = [o for o in journal.all() if o.header.get("kind") in ("archive", "delist-stale")]
        if not ops:
            raise UsageError("no archive or delist-stale run in the journal yet")
        source = ops[-1]
    else:
        source = journal.get(ref)
    if source.header.get("kind") not in ("archive", "delist-stale"):
        raise UsageError(
            f"{source.ref} is a {source.header.get('kind')} run; restore undoes archive "
            "and delist-stale runs"
        )
    pids = to_restore(source)
    client = ctx.client()
    index = CatalogIndex.ensure(ctx.catalog_dir(), lambda: client, say=ctx.output.info)
    entries = index.by_product_ids(pids)
    known = [e for e in entries if e is not None]
    if ctx.dry_run:
        plan_rows(ctx, known, "unarchive")
        return
    ctx.confirm(f"Unarchive {len(known)} products archived by {source.ref}?")
    with ctx.lock("listing restore"):
        settle_killed(ctx, client)
        zeroed = ["product.stocks.update"] if source.header.get("zero_stock") else []
        ctx.check_roles("product.unarchive", *zeroed)
        op = ctx.journal("listing").new("restore", source=source.ref, products=len(known))
        outcomes = change_archived(client, known, archive=False, op=op, warn=ctx.output.warn)
        put_back(client, source, op, outcomes)
        failed = sum(o.failed for o in outcomes)
        with remembering(index, outcomes, False):
            op.update(status="partial" if failed else "done", failed=failed)
            source.update(restored_by=op.ref)
            emit_outcomes(ctx, outcomes, verb="restore", ref=op.ref)
