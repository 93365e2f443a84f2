"""The root ``ozonctl`` command: global options and lazily loaded command groups.

Each group lives in ``ozonctl.commands.<name>`` and exposes ``app: typer.Typer``. Groups
are imported only when run (or completed), so ``ozonctl --help`` lists them from the
table below without importing any of them.
"""

from __future__ import annotations

import copy
import functools
import importlib
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder

from ozonctl import __version__
from ozonctl.cli import _coercion
from ozonctl.cli.context import AppContext, set_app_context
from ozonctl.cli.run import OutputClosed
from ozonctl.exitcodes import EXIT_CODES_HELP

_coercion.install()  # option values without pydantic where it changes nothing (~45 ms)

GROUPS: dict[str, tuple[str, str]] = {
    "promo": ("ozonctl.commands.promo", "Promotions: what each costs, join, leave, undo a leave."),
    "listing": (
        "ozonctl.commands.listing",
        "The catalogue: list, archive, stock, prices, stale SKUs.",
    ),
    "order": ("ozonctl.commands.order", "FBS/rFBS postings: list, ship, labels, tracking, cancel."),
    "payout": ("ozonctl.commands.payout", "Transactions, totals, reports, cash flow and balance."),
    "sync": ("ozonctl.commands.sync", "Refresh the local catalogue index and sales history."),
    "auth": ("ozonctl.commands.auth", "Log in, check and remove a profile's credentials."),
    "config": ("ozonctl.commands.config", "Show and change settings and profiles."),
    "api": ("ozonctl.commands.api", "Call any Seller API method with ozonctl's auth and limits."),
    "sandbox": ("ozonctl.commands.sandbox", "Run a local Seller API emulator with a demo shop."),
    "doctor": ("ozonctl.commands.doctor", "Check config, credentials, clock, lock and state."),
}


class LazyGroup(TyperGroup):
    _listing_only = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in GROUPS if n not in self.commands)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in GROUPS:
            return None
        module_name, short_help = GROUPS[cmd_name]
        if self._listing_only:
            return TyperCommand(cmd_name, help=short_help, short_help=short_help)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command = _command_of(module.app)
        command.name = cmd_name
        _plain_help(command)
        command.params = [
            p for p in command.params if p.name not in ("install_completion", "show_completion")
        ]
        self.commands[cmd_name] = command
        return command

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise OutputClosed from exc  # reported by cli.run, not swallowed by typer

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing_only = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing_only = False


class _Subcommands(TyperGroup):
    """A command group of a Typer app whose commands are made when first asked for.

    typer makes every command of a group before running one: each one's signature and
    type hints read, ~0.5 ms a command, ~6 ms for ``listing`` (10 commands and two
    groups). Running ``listing archive`` needs one of them; help and completion, which
    list them all, make them all."""

    _pending: dict[str, Callable[[], _click.Command]]

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*self.commands, *(n for n in self._pending if n not in self.commands)]

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError:
            if not self._pending:
                raise
        for name in list(self._pending):  # typer's "did you mean" looks at those made
            self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        make = self._pending.pop(cmd_name, None)
        if make is not None and cmd_name not in self.commands:
            command = make()
            _plain_help(command)
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)


def _command_of(app: typer.Typer) -> _click.Command:
    """``typer.main.get_command(app)`` without its completion options, a group's
    commands made on first use (``_Subcommands``)."""
    main = typer.main
    group_of_its_own = not isinstance(app.info.cls, DefaultPlaceholder | None)
    one_command = not (
        app.registered_callback
        or app.info.callback
        or app.registered_groups
        or len(app.registered_commands) > 1
    )
    if one_command or group_of_its_own:
        return main.get_command(app)  # a single command, or a group class of its own
    shell = copy.copy(app)
    shell.registered_commands, shell.registered_groups = [], []
    group = main.get_group(shell)  # the group itself: its options, callback and help
    pending: dict[str, Callable[[], _click.Command]] = {}
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    for info in app.registered_commands:
        assert info.callback is not None
        name = info.name or main.get_command_name(info.callback.__name__)
        pending[name] = functools.partial(
            main.get_command_from_info, info, pretty_exceptions_short=short, rich_markup_mode=markup
        )
    for sub in app.registered_groups:
        group_name = main.solve_typer_info_defaults(sub).name
        if not isinstance(group_name, str) or not group_name:  # merged into this one by typer
            return main.get_command(app)
        pending[group_name] = functools.partial(
            main.get_group_from_info,
            sub,
            pretty_exceptions_short=short,
            suggest_commands=app.suggest_commands,
            rich_markup_mode=markup,
        )
    group.__class__ = _Subcommands
    assert isinstance(group, _Subcommands)
    group._pending = pending
    return group


def _plain_help(command: _click.Command) -> None:
    """Plain click help everywhere: typer's rich help costs ~150 ms of imports."""
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def _version(value: bool) -> None:
    if value:
        print(f"ozonctl {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=LazyGroup,
    name="ozonctl",
    help="The daily jobs of an Ozon shop in one fast, safe, scriptable command.\n\n"
    "Global options may also be given after the command (`ozonctl promo list --json`).\n\n"
    + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            envvar="OZONCTL_PROFILE",
            metavar="NAME",
            help="Shop profile to use (default: the configured default).",
            show_envvar=True,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="OZON_API_URL",
            metavar="URL",
            help="Seller API address (https, or http on loopback only).",
            show_envvar=True,
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", envvar="OZONCTL_JSON", help="Machine output: JSON on stdout.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", envvar="OZONCTL_YES", help="Do not ask for confirmation.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            envvar="OZONCTL_DRY_RUN",
            help="For writes: print the plan, send no write request.",
        ),
    ] = False,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input", envvar="OZONCTL_NO_INPUT", help="Never prompt (also when CI=true)."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="OZONCTL_DEBUG",
            help="Log requests (secrets redacted), trace ids and tracebacks.",
        ),
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")
    ] = False,
    wait_lock: Annotated[
        float,
        typer.Option(
            "--wait-lock",
            envvar="OZONCTL_WAIT_LOCK",
            metavar="SECONDS",
            min=0,
            help="Wait this long for another run's state lock (default: fail at once).",
        ),
    ] = 0.0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> Any:
    state = AppContext(
        profile_name=profile,
        base_url=base_url,
        json=json,
        yes=yes,
        dry_run=dry_run,
        no_input=no_input,
        debug=debug,
        no_color=no_color,
        wait_lock=wait_lock,
    )
    set_app_context(state)
    ctx.obj = state
    ctx.call_on_close(state.close)
