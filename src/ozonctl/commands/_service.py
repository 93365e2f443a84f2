"""What the customer-service commands share (``review``, ``question``, ``chat``,
``inbox``): Ozon's 403 turned into the subscription it wants, texts checked against the
method's length limits, ``--template`` filled, ``--from-file`` of id,text lines read and
sent, an item shown with its thread, and a write's outcome printed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from ozonctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.cli.output import Column
    from ozonctl.cli.schema import Schema
    from ozonctl.commands._writes import Write

T = TypeVar("T")

REVIEWS = "Ozon's Review management or Premium Pro subscription"
PLUS = "Ozon's Premium Plus or Premium Pro subscription"

RETRY_UNKNOWN = typer.Option(
    "--retry-unknown",
    help="After you checked that an earlier attempt with an unknown outcome did not land: "
    "send a new one.",
)
TEMPLATE = typer.Option(
    "--template",
    metavar="NAME",
    help="A reply template of your templates file (see `ozonctl inbox templates`).",
)
FROM_FILE = typer.Option(
    "--from-file",
    metavar="FILE",
    help="Many at once: one 'id,text' per line (UTF-8, UTF-16 or Windows-1251; '-' = stdin).",
)
MAX = typer.Option("--max", min=1, help="Refuse a --from-file with more lines than this.")


def subscribed(call: Callable[[], T], what: str = "reviews", needs: str = REVIEWS) -> T:
    """``call()``, with Ozon's 403 turned into one line naming the missing subscription."""
    from ozonctl.client.errors import PermissionDeniedError

    try:
        return call()
    except PermissionDeniedError as exc:
        raise _refused(exc.message, what, needs) from None


def _refused(message: str, what: str, needs: str) -> AuthError:
    return AuthError(
        f"Ozon refused {what} (HTTP 403: {message}): they need {needs}",
        hint="subscribe in the seller portal; if you have it, give the API key a role "
        "that allows these methods",
    )


@dataclass(frozen=True, slots=True)
class Subscribed:
    """A family of Ozon methods that answers 403 without a subscription: calling it with
    ``call`` is ``subscribed(call, what, needs)``. Each command names its own once."""

    what: str
    needs: str

    def __call__(self, call: Callable[[], T]) -> T:
        return subscribed(call, self.what, self.needs)

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """``items`` (a paged walk) one at a time, with the 403 of any page as
        :meth:`__call__` says: the next page is read only when its rows are wanted, so
        ``--limit N`` stops the walk."""
        from ozonctl.client.errors import PermissionDeniedError

        try:
            yield from items
        except PermissionDeniedError as exc:
            raise _refused(exc.message, self.what, self.needs) from None


def checked_text(text: str, low: int, high: int, *, option: str = "--text") -> str:
    """The text as it will be sent: trimmed, ``low``..``high`` characters (characters, not
    bytes: Russian and Chinese letters count one each)."""
    body = text.strip()
    if not body:
        raise UsageError(f"{option} is empty", hint="write the text the buyer will read")
    if len(body) < low:
        raise UsageError(
            f"{option} has {len(body)} character(s); Ozon takes at least {low}",
            hint="write a little more; nothing was sent",
        )
    if len(body) > high:
        raise UsageError(
            f"{option} has {len(body)} characters; this takes at most {high}",
            hint="shorten it; nothing was sent",
        )
    return body


def templates_path(ctx: AppContext) -> Path:
    """The seller's templates file: ``templates`` in config.toml, else templates.toml in
    ozonctl's config folder."""
    from ozonctl.domain.templates import DEFAULT_NAME

    configured = ctx.settings.config.get("templates")
    if isinstance(configured, str) and configured.strip():
        return Path(configured.strip()).expanduser()
    return ctx.paths.config_dir / DEFAULT_NAME


def text_or_template(
    ctx: AppContext, text: str | None, template: str | None, values: Callable[[], Mapping[str, Any]]
) -> str:
    """``--text``, or ``--template`` filled with ``values()`` (read only when needed)."""
    from ozonctl.domain.templates import render

    if (text is None) == (template is None):
        raise UsageError("give --text or --template (one of them)", hint="nothing was sent")
    if text is not None:
        return text
    assert template is not None
    return render(templates_path(ctx), template, values())


def read_pairs(path: str) -> list[tuple[int, str, str]]:
    """``--from-file``: (line, id, text) of each 'id,text' line (a TAB or ';' may
    separate too; the first one on the line does). Empty lines and lines starting with
    '#' are skipped; a line without a separator or text is exit 2 naming it."""
    import re

    from ozonctl.sellerfiles import read_text

    found: list[tuple[int, str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = re.split(r"[,;\t]", line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            problems.append(f"line {number}: expected 'id,text'")
            continue
        found.append((number, parts[0].strip().strip('"'), parts[1].strip().strip('"')))
    if problems:
        raise UsageError(
            f"{path}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if problems[1:] else ""),
            hint="one 'id,text' per line; nothing was sent",
        )
    if not found:
        raise UsageError(f"{path}: no 'id,text' lines", hint="nothing was sent")
    return found


def finish(ctx: AppContext, doc: dict[str, Any], key: str, result_name: str = "") -> None:
    """A write's outcome: the whole document with --json, else one row (table or TSV)."""
    from ozonctl.commands.order._common import outcome_row

    result = doc.pop("result", None)
    if result_name:
        doc[result_name] = result
    outcome_row(ctx.output, doc, (key, "action", "outcome"))


def finish_bulk(ctx: AppContext, outcomes: list[dict[str, Any]], key: str, what: str) -> None:
    """The outcomes of a --from-file run, one row each; exit 3 when any failed."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import SERVICE_OUTCOMES
    from ozonctl.commands._writes import check_bulk

    rows = [
        {
            key: o.get(key),
            "outcome": o["outcome"],
            "journal_ref": o.get("journal_ref"),
            "error": o.get("error"),
        }
        for o in outcomes
    ]
    columns = [
        Column(key, key.replace("_", " ").capitalize()),
        Column("outcome", "Outcome"),
        Column("journal_ref", "Journal"),
        Column("error", "Reason"),
    ]
    schema = SERVICE_OUTCOMES[key.removesuffix("_id")]
    ctx.output.outcomes(columns, rows, ref=None, dry_run=ctx.dry_run, key="outcome", schema=schema)
    check_bulk(outcomes, what)


def product_name(client: Any, sku: int) -> str:
    """The product's name by SKU (one /v3/product/info/list request), "" when unknown."""
    if not sku:
        return ""
    return next((p.name for p in client.products.info(skus=[sku]) if p.name), "")


def show_thread(
    ctx: AppContext,
    doc: dict[str, Any],
    fields: list[tuple[str, Any]],
    thread: str,
    columns: list[Column],
    empty: str,
    schema: Schema | None = None,
) -> None:
    """``show`` of a review or a question: the document with --json; on a terminal the
    item's fields as a Field/Value table, then the rows of ``doc[thread]`` (its comments
    or answers), or ``empty``."""
    from ozonctl.cli.output import Column

    def human() -> None:
        ctx.output.rows(
            [Column("field", "Field"), Column("value", "Value")],
            ({"field": k, "value": v} for k, v in fields),
        )
        ctx.output.rows(columns, doc[thread], empty=empty)

    ctx.output.document(doc, human=human, schema=schema)


def send_file(
    ctx: AppContext,
    path: str,
    check: Callable[[str], object],
    build: Callable[[str, str], Write],
    retry_unknown: bool,
    *,
    area: str,
    what: str,
    max_items: int | None,
) -> None:
    """``--from-file``: every line's text ``check``ed first (exit 2 naming the line,
    nothing sent), then ``build(id, text)`` sent line by line through ``_writes.bulk``
    (one confirmation, journalled, sent once); one outcome row a line, exit 3 when any
    failed."""
    import functools

    from ozonctl.commands._writes import bulk

    pairs = read_pairs(path)
    for number, _, text in pairs:
        try:
            check(text)
        except UsageError as exc:
            raise UsageError(f"{path}: line {number}: {exc}") from None
    outcomes = bulk(
        ctx,
        [(target, functools.partial(build, target, text)) for _, target, text in pairs],
        retry_unknown,
        area=area,
        what=what,
        max_items=max_items,
    )
    finish_bulk(ctx, outcomes, f"{area}_id", what)
