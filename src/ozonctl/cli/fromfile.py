"""``--from-file FILE|-`` for commands that take many ids: the one reader of id lists.

Every command that takes many ids (postings, products, offer ids, SKUs, request ids) and
``listing delist-stale --exclude`` read their lists here, so one rule holds everywhere:

- the file is read as every seller file is (:func:`ozonctl.sellerfiles.read_text`: a
  BOM, UTF-16 with a BOM, else a Russian Excel's Windows-1251; ``-`` reads stdin);
- a line's **first tab-separated field** holds its ids, so the tab-separated output of a
  list command (``ozonctl promo products ID > f``) is read back as the list it printed;
- within it, ids are separated by commas, semicolons or blanks (an Excel ``;`` line),
  ``#`` starts a comment, a token's double quotes are dropped, blank lines are skipped.

The reader returns strings; what an id names (an offer id, a SKU, a product id) is the
resolver's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from ozonctl.errors import UsageError

FromFileOption = Annotated[
    str | None,
    typer.Option(
        "--from-file",
        metavar="FILE|-",
        help="Read the ids from FILE as well ('-' = stdin): one a line or comma-separated; "
        "a line's first tab-separated field counts, so a list command's output pipes in.",
    ),
]


def ids_in(text: str) -> list[str]:
    """The ids in ``text`` by the module's rule, in order (repeats kept)."""
    if not any(c in text for c in '#,;"\t'):
        return text.split()  # the common plain file: one id a line (the same ids, faster)
    out = []
    for line in text.splitlines():
        line = line.split("\t", 1)[0].split("#", 1)[0]
        for part in line.replace(";", ",").replace(",", " ").split():
            part = part.strip('"')
            if part:
                out.append(part)
    return out


def read_ids(path: Path | str, *, source: str = "") -> list[str]:
    """The ids in the file ``path`` (``-``: stdin); a read error is one line naming
    ``source`` (default ``--from-file PATH``), exit 2."""
    from ozonctl.sellerfiles import read_text

    return ids_in(read_text(path, source=source or f"--from-file {path}"))


def ids_from(args: Sequence[str] | None, from_file: Path | str | None) -> list[str]:
    """The ids given as arguments (or option values), then those of ``from_file``, each
    once, in order. A ``--from-file`` without any id is exit 2: a script that piped an
    empty list in must not go on as if nothing had been named."""
    found = [a.strip() for a in args or [] if a.strip()]
    if from_file is not None:
        more = read_ids(from_file)
        if not more:
            raise UsageError(f"--from-file {from_file}: no ids in it")
        found += more
    return list(dict.fromkeys(found))


def numbers_from(args: Sequence[str | int] | None, from_file: str | None, what: str) -> list[int]:
    """:func:`ids_from` for ids that are numbers (request ids, SKUs): one that is not is
    exit 2 naming it and ``what`` it should be."""
    given = ids_from([str(a) for a in args or []], from_file)
    bad = [g for g in given if not g.isdigit()]
    if bad:
        raise UsageError(f"{bad[0]!r} is not {what} (digits only)")
    return [int(g) for g in given]
