"""``ozonctl api``: any Seller API call with ozonctl's auth, retries and limits.

For what the commands do not cover yet. The endpoint table decides whether a path is a
write (unknown paths are treated as writes: never retried after sending).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.errors import UsageError

app = typer.Typer(help="Call any Seller API method with ozonctl's auth and limits.")


def read_body(data: str | None) -> Any:
    """``--data``: inline JSON, ``@file`` or ``-`` for stdin."""
    if data is None:
        return None
    if data == "-":
        text = sys.stdin.read()
        source = "stdin"
    elif data.startswith("@"):
        path = Path(data[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--data {data}: {exc.strerror or exc}") from None
        source = str(path)
    else:
        text, source = data, "--data"
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(
            f"{source} is not valid JSON: {exc}", hint="e.g. --data '{\"filter\": {}}'"
        ) from None


@app.command()
def api(
    path: Annotated[str, typer.Argument(help="The method's path, e.g. /v3/product/list.")],
    data: Annotated[
        str | None,
        typer.Option("--data", "-d", help="JSON body: inline, @file, or - for stdin."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            "-X",
            help="HTTP method (default: the table's, else POST).",
            callback=one_of("GET", "POST", "PUT", "PATCH", "DELETE"),
        ),
    ] = None,
    paginate: Annotated[
        bool,
        typer.Option(
            "--paginate",
            help="Walk every page and print the items as one JSON array (also without --json).",
        ),
    ] = False,
    items: Annotated[
        str | None,
        typer.Option(
            "--items",
            help="With --paginate on a path ozonctl does not know: where "
            "the items are (e.g. result.items).",
        ),
    ] = None,
) -> None:
    """Send one call (or walk its pages) and print the JSON answer on stdout.

    Writes honour --dry-run (the request is printed, not sent) and ask for confirmation
    on a terminal unless --yes."""
    from ozonctl.client.endpoints import for_path

    ctx = app_context()
    out = ctx.output
    if not path.startswith("/"):
        path = "/" + path
    body = read_body(data)
    ep = for_path(path)
    verb = (method or (ep.method if ep else "POST")).upper()
    is_write = ep.is_write if ep else verb != "GET"
    if paginate:
        if ep is None or ep.paging == "none":
            if ep is None and items is None:
                raise UsageError(
                    f"--paginate: {path} is not in ozonctl's endpoint table",
                    hint="name the items with --items and drop --paginate for a single call",
                )
            if ep is not None:
                raise UsageError(f"--paginate: {path} does not paginate")
        if is_write:
            raise UsageError("--paginate is for reads only")
    if is_write:
        if ctx.dry_run:
            out.document({"dry_run": True, "method": verb, "path": path, "body": body})
            return
        ctx.confirm(f"Send {verb} {path} (a write) to profile {ctx.profile.name!r}?")
    client = ctx.client()
    if paginate and ep is not None:
        from ozonctl.client.pagination import iter_items

        found = iter_items(client, ep, body if isinstance(body, dict) else None, items_path=items)
        out.json_array(([item] for item in found), flush_each=False)  # always JSON
        return
    result = client.raw(verb, path, body if verb != "GET" else None)
    out.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
