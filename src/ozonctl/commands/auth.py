"""``ozonctl auth``: log in, check and remove a profile's credentials.

The API key is never a command-line value (it would land in shell history and ``ps``):
it comes from a prompt or, with ``--with-key``, from stdin. ``login`` and ``status``
show when the key expires (Ozon's keys last 3 months) and warn two weeks ahead.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ozonctl.client.client import OzonClient
    from ozonctl.keys import KeyInfo
    from ozonctl.settings import Profile

app = typer.Typer(help="Log in, check and remove a profile's credentials.", no_args_is_help=True)


def mask(key: str | None) -> str:
    if not key:
        return ""
    if len(key) <= 8:
        return "*" * len(key)
    return f"{key[:4]}…{key[-4:]}"


def mask_url(url: str) -> str:
    """``url`` with the password of its userinfo (``https://user:pw@host``) masked."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        return url
    user, colon, _password = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}{slash}{tail}"


@dataclasses.dataclass
class KeyCheck:
    """What one check of a key found: the company, and the key's expiry and roles."""

    company: str
    key: KeyInfo | None
    key_error: str | None = None
    """Why the expiry is not known (``/v1/roles`` failed otherwise than by refusing)."""


def verify(
    profile: Profile,
    *,
    remember: bool = True,
    on_close: Callable[[OzonClient], None] | None = None,
) -> KeyCheck:
    """Two cheap reads with ``profile``'s keys: ``/v1/seller/info`` (do they work?) and
    ``/v1/roles`` (expiry and roles; ``remember``: kept in the day's cache). A refused key
    raises an ``AuthError`` that says whether it expired or was revoked. ``on_close`` sees
    the client before it closes (``doctor`` reads its ``Date`` header)."""
    from ozonctl.client.errors import APIError
    from ozonctl.keys import read_cached, refused

    ctx = app_context()
    client = ctx.make_client(profile)
    try:
        try:
            info = client.account.seller_info()
        except APIError as exc:
            error = refused(exc, read_cached(ctx.key_cache(profile)), profile.name)
            if error is None:
                raise
            raise error from None
        company = info.company.name or info.company.legal_name or "(no company name)"
        try:
            key = ctx.key_info(client, profile, refresh=True, remember=remember)
        except APIError as exc:
            error = refused(exc, None, profile.name)
            if error is not None:
                raise error from None
            return KeyCheck(company, None, f"{exc.path}: {exc.message}")
        return KeyCheck(company, key)
    finally:
        if on_close is not None:
            on_close(client)
        client.close()


def expiry_fields(key: KeyInfo | None) -> dict[str, object]:
    from ozonctl.keys import now_utc

    if key is None:
        return {"expires_at": None, "expires_in_days": None, "expiry": None, "roles": None}
    now = now_utc()
    return {
        "expires_at": key.expires_at.isoformat() if key.expires_at else None,
        "expires_in_days": key.days_left(now),
        "expiry": key.state(now),
        "roles": key.role_names if key.roles is not None else None,
    }


def warn_expiry(key: KeyInfo | None, profile: str) -> None:
    """A warning on stderr when the key expires within ``WARN_DAYS``."""
    from ozonctl.keys import NEW_KEY, WARN_DAYS, now_utc

    if key is not None and key.state(now_utc()) == "soon":
        app_context().output.warn(
            f"the API key of profile {profile!r} {key.expiry_text(now_utc())}, under "
            f"{WARN_DAYS} days from now: {NEW_KEY}"
        )


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
    """Store Client-Id and API key for the profile, after checking them with Ozon (and
    showing when the key expires)."""
    ctx = app_context()
    ctx.allow_new_profile = True
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
    client_id = (client_id or "").strip()
    if not (client_id.isascii() and client_id.isdigit()):
        raise UsageError(f"Client-Id must be a number, not {client_id!r}")
    if not api_key:
        raise UsageError("the API key is empty")
    if not (api_key.isascii() and api_key.isprintable()):
        raise UsageError(
            "the API key has characters that are not printable ASCII (Ozon's keys have none)",
            hint="copy it again from Seller Center (Settings → Seller API)",
        )
    checked = None
    if not no_verify:
        probe = dataclasses.replace(
            ctx.profile, client_id=client_id, api_key=api_key, credential_source="login"
        )
        checked = verify(probe)
    ctx.settings.save_credentials(name, client_id, api_key)
    result = {
        "profile": name,
        "client_id": client_id,
        "verified": not no_verify,
        "company": checked.company if checked else None,
        **expiry_fields(checked.key if checked else None),
        "credentials_file": str(ctx.paths.credentials_file),
    }

    def human() -> None:
        from ozonctl.keys import now_utc

        key = checked.key if checked else None
        expiry = f"; the key {key.expiry_text(now_utc())}" if key else ""
        out.success(
            f"logged in to profile {name!r} as Client-Id {client_id}"
            + (f" ({checked.company}){expiry}" if checked else " (not verified)")
        )

    out.document(result, human=human)
    warn_expiry(checked.key if checked else None, name)


@app.command()
def status(
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not call Ozon to check the keys.")
    ] = False,
) -> None:
    """Show the profile, its Client-Id, a masked key, where they came from, whether they
    work, when the key expires and its roles. Exit 4 when there are none, Ozon refuses
    them, or the key has expired."""
    from ozonctl.keys import now_utc, read_cached

    ctx = app_context()
    out = ctx.output
    p = ctx.profile
    info: dict[str, object] = {
        "profile": p.name,
        "base_url": mask_url(p.base_url),
        "client_id": p.client_id,
        "api_key": mask(p.api_key),
        "source": p.credential_source,
        "works": None,
        "company": None,
        **expiry_fields(None),
        "error": None,
    }
    failure: Exception | None = None
    key = None
    if p.client_id and p.api_key and not offline:
        try:
            checked = verify(p)
            key = checked.key
            info.update(works=True, company=checked.company, error=checked.key_error)
        except Exception as exc:  # noqa: BLE001 - reported below with its own exit code
            from ozonctl.cli.failures import describe

            info["works"] = False
            info["error"] = describe(exc)[0]
            failure = exc
    if key is None and p.client_id and p.api_key:
        cached = read_cached(ctx.key_cache(p))
        # refused now: only an expiry already past explains it; older roles would mislead
        if cached is not None and (offline or cached.state(now_utc()) == "expired"):
            key = cached
    info.update(expiry_fields(key))

    def human() -> None:
        for name in ("profile", "base_url", "client_id", "api_key", "source", "company"):
            if info[name]:
                out.stdout.write(f"{name:<11} {info[name]}\n")
        works = {True: "yes", False: "no"}.get(info["works"], "not checked")  # type: ignore[call-overload]
        out.stdout.write(f"{'works':<11} {works}\n")
        if key is not None:
            out.stdout.write(f"{'key':<11} {key.expiry_text(now_utc())}\n")
            if key.roles is not None:
                out.stdout.write(f"{'roles':<11} {', '.join(key.role_names) or 'none'}\n")

    out.document(info, human=human)
    if not (p.client_id and p.api_key):
        raise AuthError(
            f"no credentials for profile {p.name!r}",
            hint="run `ozonctl auth login` or set OZON_CLIENT_ID and OZON_API_KEY",
        )
    if failure is not None:
        raise failure
    warn_expiry(key, p.name)


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
