"""``ozonctl auth``: log in, check and remove a profile's credentials.

The API key is never a command-line value (it would land in shell history and ``ps``):
it comes from a prompt or, with ``--with-key``, from stdin.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Annotated

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import AuthError, UsageError

app = typer.Typer(help="Log in, check and remove a profile's credentials.", no_args_is_help=True)


def mask(key: str | None) -> str:
    if not key:
        return ""
    if len(key) <= 8:
        return "*" * len(key)
    return f"{key[:4]}…{key[-4:]}"


def _check(client_id: str, api_key: str) -> str:
    """One cheap read call; return the company name. Raises on refusal."""
    ctx = app_context()
    profile = ctx.profile
    probe = dataclasses.replace(profile, client_id=client_id, api_key=api_key)
    client = ctx.make_client(probe)
    try:
        info = client.account.seller_info()
    finally:
        client.close()
    return info.company.name or info.company.legal_name or "(no company name)"


@app.command()
def login(
    client_id: Annotated[
        str | None,
        typer.Option("--client-id", help="Client-Id (asked for when not given)."),
    ] = None,
    with_key: Annotated[
        bool, typer.Option("--with-key", help="Read the API key from stdin (one line).")
    ] = False,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Save without the check call (offline set-up).")
    ] = False,
) -> None:
    """Store Client-Id and API key for the profile, after checking them with one read call."""
    ctx = app_context()
    out = ctx.output
    name = ctx.profile.name
    if name == "sandbox":
        raise UsageError(
            "the sandbox profile is built in and needs no login",
            hint="pick another name with --profile NAME",
        )
    if with_key:
        api_key = sys.stdin.readline().strip()
        if not client_id:
            raise UsageError("--with-key needs --client-id (stdin carries only the key)")
    else:
        if not ctx.interactive:
            raise UsageError(
                "cannot prompt for the API key here",
                hint="pipe it in: `ozonctl auth login --client-id ID --with-key < keyfile`",
            )
        from rich.prompt import Prompt

        if not client_id:
            client_id = Prompt.ask("Client-Id", console=out.err_console).strip()
        api_key = Prompt.ask("API key", password=True, console=out.err_console).strip()
    if not client_id or not client_id.strip().isdigit():
        raise UsageError(f"Client-Id must be a number, not {client_id!r}")
    if not api_key:
        raise UsageError("the API key is empty")
    client_id = client_id.strip()
    company = None
    if not no_verify:
        company = _check(client_id, api_key)
    ctx.settings.save_credentials(name, client_id, api_key)
    result = {
        "profile": name,
        "client_id": client_id,
        "verified": not no_verify,
        "company": company,
        "credentials_file": str(ctx.paths.credentials_file),
    }
    out.document(
        result,
        human=lambda: out.success(
            f"logged in to profile {name!r} as Client-Id {client_id}"
            + (f" ({company})" if company else " (not verified)")
        ),
    )


@app.command()
def status(
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not call Ozon to check the keys.")
    ] = False,
) -> None:
    """Show the profile, its Client-Id, a masked key, where they came from, and whether they
    work. Exit 4 when there are none or Ozon refuses them."""
    ctx = app_context()
    out = ctx.output
    p = ctx.profile
    info: dict[str, object] = {
        "profile": p.name,
        "base_url": p.base_url,
        "client_id": p.client_id,
        "api_key": mask(p.api_key),
        "source": p.credential_source,
        "works": None,
        "company": None,
        "error": None,
    }
    failure: Exception | None = None
    if p.client_id and p.api_key and not offline:
        try:
            info["company"] = _check(p.client_id, p.api_key)
            info["works"] = True
        except Exception as exc:  # noqa: BLE001 - reported below with its own exit code
            from ozonctl.cli.failures import describe

            info["works"] = False
            info["error"] = describe(exc)[0]
            failure = exc

    def human() -> None:
        for key in ("profile", "base_url", "client_id", "api_key", "source", "company"):
            if info[key]:
                out.stdout.write(f"{key:<11} {info[key]}\n")
        works = {True: "yes", False: "no"}.get(info["works"], "not checked")  # type: ignore[call-overload]
        out.stdout.write(f"{'works':<11} {works}\n")

    out.document(info, human=human)
    if not (p.client_id and p.api_key):
        raise AuthError(
            f"no credentials for profile {p.name!r}",
            hint="run `ozonctl auth login` or set OZON_CLIENT_ID and OZON_API_KEY",
        )
    if failure is not None:
        raise failure


@app.command()
def logout() -> None:
    """Remove the profile's stored credentials (environment variables are untouched)."""
    ctx = app_context()
    name = ctx.profile.name
    removed = ctx.settings.remove_credentials(name)
    ctx.output.document(
        {"profile": name, "removed": removed},
        human=lambda: ctx.output.success(
            f"removed the credentials of profile {name!r}"
            if removed
            else f"profile {name!r} had no stored credentials"
        ),
    )
