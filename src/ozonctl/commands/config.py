"""``ozonctl config``: show and change settings and profiles (config.toml)."""

from __future__ import annotations

from typing import Annotated

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column

app = typer.Typer(help="Show and change settings and profiles.", no_args_is_help=True)


@app.command()
def show() -> None:
    """The resolved settings of the profile in use (keys masked), and where files live."""
    from ozonctl.commands.auth import mask, mask_url

    ctx = app_context()
    p = ctx.profile
    data = {
        "profile": p.name,
        "base_url": mask_url(p.base_url),
        "client_id": p.client_id,
        "api_key": mask(p.api_key),
        "credentials_from": p.credential_source,
        "rps": p.rps,
        "burst": p.burst,
        "concurrency": p.concurrency,
        "timeout": p.timeout,
        "max_retries": p.max_retries,
        "per_minute": p.per_minute,
        "config_file": str(ctx.paths.config_file),
        "credentials_file": str(ctx.paths.credentials_file),
        "state_dir": str(ctx.state_dir()),
        "cache_dir": str(ctx.cache_dir()),
    }

    def human() -> None:
        for key, value in data.items():
            ctx.output.stdout.write(f"{key:<17} {'' if value is None else value}\n")

    ctx.output.document(data, human=human)


@app.command("set")
def set_(
    key: Annotated[
        str,
        typer.Argument(
            help="base_url, rps, burst, concurrency, timeout, "
            "max_retries, per_minute./PATH, default_profile"
        ),
    ],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Change one setting of the profile in use (``rps 0`` turns the client limiter off).
    A value later commands could not work with (a negative or NaN timeout, rate or retry
    count, a threshold out of range) is refused with exit 2 and nothing is written."""
    ctx = app_context()
    ctx.allow_new_profile = True
    stored = ctx.settings.set_profile_value(ctx.profile.name, key, value)
    ctx.output.document(
        {"profile": ctx.profile.name, "key": key, "value": stored},
        human=lambda: ctx.output.success(f"{key} = {stored!r}"),
    )


@app.command()
def get(
    key: Annotated[str, typer.Argument(help="A setting name, as `config show` lists.")],
) -> None:
    """Print one resolved setting."""
    ctx = app_context()
    p = ctx.profile
    if key == "profile":
        value: object = p.name
    elif hasattr(p, key) and key != "api_key":
        value = getattr(p, key)
        if key == "base_url":
            from ozonctl.commands.auth import mask_url

            value = mask_url(str(value))
    else:
        from ozonctl.errors import UsageError

        raise UsageError(f"unknown setting {key!r}", hint="see `ozonctl config show`")

    def human() -> None:
        ctx.output.stdout.write(f"{value}\n")

    ctx.output.document(value, human=human)


@app.command()
def profiles() -> None:
    """The profiles known here (config, credentials and the built-in sandbox)."""
    from ozonctl.commands.auth import mask_url

    ctx = app_context()
    settings = ctx.settings
    default = settings.default_profile()
    rows = []
    for name in settings.profile_names():
        p = settings.resolve(name)
        rows.append(
            {
                "name": name,
                "default": name == default,
                "base_url": mask_url(p.base_url),
                "client_id": p.client_id,
                "credentials": p.credential_source,
            }
        )
    ctx.output.rows(
        [
            Column("name", "Profile"),
            Column("default", "Default"),
            Column("base_url", "Base URL"),
            Column("client_id", "Client-Id"),
            Column("credentials", "Credentials"),
        ],
        rows,
    )
