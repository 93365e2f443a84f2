"""``--from-file FILE|-`` for commands that take many ids: one reader for all of them.

The ids are read as every seller file is (:func:`ozonctl.sellerfiles.read_text`: a BOM,
UTF-16 or a Russian Excel's cp1251), one a line or comma/space separated, ``#`` starts
a comment, quotes dropped (:func:`ozonctl.sellerfiles.tokens`); ``-`` reads stdin.
"""

from __future__ import annotations

from typing import Annotated

import typer

FromFileOption = Annotated[
    str | None,
    typer.Option(
        "--from-file",
        metavar="FILE|-",
        help="Read the ids from FILE (one a line or comma-separated; '-' = stdin) as well.",
    ),
]


def ids_from(args: list[str] | None, from_file: str | None) -> list[str]:
    """The ids given as arguments, then those in ``from_file``, each once, in order."""
    from ozonctl.sellerfiles import read_text, tokens

    found = [a.strip() for a in args or [] if a.strip()]
    if from_file:
        found += tokens(read_text(from_file, source=from_file))
    return list(dict.fromkeys(found))
