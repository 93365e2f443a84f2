"""The root ``ozonctl`` command: global options and lazily loaded command groups.

Each group lives in ``ozonctl.commands.<name>`` and exposes ``app: typer.Typer``. Groups
are imported only when run (or completed), so ``ozonctl --help`` lists them from the
table below without importing any of them.
"""

from __future__ import annotations

import functools
import importlib
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ozonctl import __version__
from ozonctl.cli.context import AppContext, set_app_context
from ozonctl.cli.run import OutputClosed, is_usage_error
from ozonctl.exitcodes import EXIT_CODES_HELP

GROUPS: dict[str, tuple[str, str]] = {
    "promo": ("ozonctl.commands.promo", "Promotions: what each costs, join, leave, undo a leave."),
    "listing": (
        "ozonctl.commands.listing",
        "The catalogue: list, archive, stock, prices, stale SKUs.",
    ),
    "order": ("ozonctl.commands.order", "FBS/rFBS postings: list, ship, labels, tracking, cancel."),
    "payout": ("ozonctl.commands.payout", "Transactions, totals, reports, cash flow and balance."),
    "review": (
        "ozonctl.commands.review",
        "Reviews of the shop's products: list, show, reply, mark processed.",
    ),
    "question": (
        "ozonctl.commands.question",
        "Buyers' questions about the shop's products: list, show, answer.",
    ),
    "chat": (
        "ozonctl.commands.chat",
        "Chats with buyers: list, show, send, mark read, start on a posting.",
    ),
    "inbox": (
        "ozonctl.commands.inbox",
        "What waits for an answer: reviews, questions, chats; reply templates.",
    ),
    "analytics": (
        "ozonctl.commands.analytics",
        "Sales across FBS and FBO, and Ozon's analytics budget.",
    ),
    "sync": ("ozonctl.commands.sync", "Refresh the local catalogue index and sales history."),
    "auth": ("ozonctl.commands.auth", "Log in, check and remove a profile's credentials."),
    "config": ("ozonctl.commands.config", "Show and change settings and profiles."),
    "api": ("ozonctl.commands.api", "Call any Seller API method with ozonctl's auth and limits."),
    "sandbox": ("ozonctl.commands.sandbox", "Run a local Seller API emulator with a demo shop."),
    "doctor": ("ozonctl.commands.doctor", "Check config, credentials, clock, lock and state."),
}


ALIASES: dict[str, str] = {
    "promos": "promo",
    "listings": "listing",
    "orders": "order",
    "payouts": "payout",
}
"""Plurals a seller types by habit: the same groups, left out of --help's list."""


NO_ROWS = frozenset({"auth", "config", "api", "sandbox", "sync"})
"""Groups without list commands: no ``--csv``/``--excel`` (``api`` prints Ozon's JSON)."""


class LazyGroup(TyperGroup):
    """The root group: a command group is imported, and made by typer, only when it
    runs or is completed; ``--help`` lists the groups from :data:`GROUPS` alone.

    ``ctx`` is the :class:`typer.Context` typer passes in; commands are typer's own
    (``TyperCommand``/``TyperGroup``). The parameters are typed ``Any`` because the base
    class names them by typer's private module, which ozonctl does not import."""

    _listing_only = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd_name = ALIASES.get(cmd_name, cmd_name)
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
        command = typer.main.get_command(module.app)
        command.name = cmd_name
        _plain_help(command)
        if cmd_name not in NO_ROWS:
            _add_file_outputs(command, cmd_name)
        command.params = [
            p for p in command.params if p.name not in ("install_completion", "show_completion")
        ]
        self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        """An unknown command is exit 2 with the groups it is closest to ("did you
        mean"), like a typo inside a group: the groups here are loaded lazily, so the
        suggestion is made from the table, not from the loaded commands."""
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            if is_usage_error(exc) and args and "Did you mean" not in str(exc.message):  # type: ignore[attr-defined]
                from difflib import get_close_matches

                names = [*self.list_commands(ctx), *ALIASES]
                matches = list(
                    dict.fromkeys(ALIASES.get(m, m) for m in get_close_matches(args[0], names))
                )
                if matches:
                    found = ", ".join(repr(m) for m in matches)
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {found}?"  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise OutputClosed from exc  # reported by cli.run, not swallowed by typer

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing_only = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing_only = False


def _plain_help(command: Any) -> None:
    """Plain help everywhere: typer's rich help imports much of rich for every ``--help``."""
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def _set_csv_target(param: typer.CallbackParam, value: str | None) -> None:
    """``--csv FILE`` / ``--excel FILE``: checked before anything is sent, then the
    rows ``Output.rows`` writes go there (``cli/csvout.py``)."""
    if value is None:
        return
    from pathlib import Path

    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import CsvTarget, check_csv_target

    path = Path(value)
    check_csv_target(path)
    app_context().output.csv_target = CsvTarget(path, excel=param.name == "excel")


def _set_limit(value: int | None) -> None:
    """``--limit N``: ``Output.rows`` and ``Output.page_rows`` stop after N rows, and
    stop pulling rows (so pages) from the command once N are out (``cli/output.py``)."""
    if value is not None:
        from ozonctl.cli.context import app_context

        app_context().output.limit = value


@functools.cache
def _file_output_options() -> list[Any]:
    """``--csv FILE`` and ``--excel FILE``, made by typer like any option."""
    probe = typer.Typer()

    @probe.command()
    def options(
        csv: Annotated[
            str | None,
            typer.Option(
                "--csv",
                metavar="FILE",
                expose_value=False,
                callback=_set_csv_target,
                help="Write the rows to FILE as CSV (UTF-8, a header of the JSON keys, "
                "decimal point); with --json the JSON still goes to stdout. '-': stdout.",
            ),
        ] = None,
        excel: Annotated[
            str | None,
            typer.Option(
                "--excel",
                metavar="FILE",
                expose_value=False,
                callback=_set_csv_target,
                help="Write the rows to FILE for Russian Excel (UTF-8 with a BOM, ';', "
                "decimal comma); with --json the JSON still goes to stdout. '-': stdout.",
            ),
        ] = None,
        limit: Annotated[
            int | None,
            typer.Option(
                "--limit",
                metavar="N",
                min=1,
                expose_value=False,
                callback=_set_limit,
                help="At most N rows; no further pages are asked for once N are out.",
            ),
        ] = None,
    ) -> None:
        """Only its options are used."""

    return list(typer.main.get_command(probe).params)


NOT_LISTS = frozenset(
    {
        *("promo show", "order show", "listing show", "chat show", "question show"),
        *("review show", "order label", "chat read", "promo codes", "doctor"),
        *("payout totals", "payout balance", "payout summary", "analytics budget"),
        *("order giveouts show", "order giveouts barcode", "order rfbs-returns show"),
        *("order act show", "order act pdf", "order act create"),
        *("promo create", "promo update", "promo archive"),
    }
)
"""Commands that print one item, one document (totals, a balance, a summary, a budget:
``--limit`` would cut nothing, or cut a total's rows) or a file, not a list: no
``--limit``. A command with ``--yes`` writes to the shop and is no list either (its rows
are what it did)."""


def is_list_command(command: Any, path: str) -> bool:
    """Whether ``command`` (named ``path``, "listing stock show") prints a list: every
    read of a row-printing group but the single-item ones of :data:`NOT_LISTS`."""
    opts = {opt for p in command.params for opt in getattr(p, "opts", ())}
    return path not in NOT_LISTS and "--yes" not in opts


def _add_file_outputs(command: Any, path: str) -> None:
    """``--csv FILE`` (unless the command has its own) and ``--excel FILE`` on every
    command, and ``--limit N`` on every list command: one set of options and one writer
    (``Output.rows``) for every list."""
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        for name, sub in subcommands.items():
            _add_file_outputs(sub, f"{path} {name}")
        if not getattr(command, "invoke_without_command", False):
            return  # a group that only dispatches prints no rows of its own
    taken = {opt for p in command.params for opt in getattr(p, "opts", ())}
    options = _file_output_options()
    if not is_list_command(command, path):
        options = [o for o in options if o.name != "limit"]
    for option in options:
        if not taken.intersection(getattr(option, "opts", ())):
            command.params.append(option)


def _version(value: bool) -> None:
    if value:
        print(f"ozonctl {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=LazyGroup,
    name="ozonctl",
    help="The daily jobs of an Ozon shop in one fast, safe, scriptable command.\n\n"
    "Global options may also be given after the command (`ozonctl promo list --json`).\n\n"
    "The plurals promos, listings, orders and payouts name the same groups.\n\n" + EXIT_CODES_HELP,
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
    json_fields: Annotated[
        str | None,
        typer.Option(
            "--json-fields",
            metavar="FIELDS",
            hidden=True,
            help="--json=FIELDS: only these keys of each item (comma-separated).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> Any:
    state = AppContext(
        profile_name=profile,
        base_url=base_url,
        yes=yes,
        dry_run=dry_run,
        no_input=no_input,
        debug=debug,
        no_color=no_color,
        wait_lock=wait_lock,
        json=json or json_fields is not None,
        json_fields=[f.strip() for f in json_fields.split(",") if f.strip()]
        if json_fields is not None
        else None,
    )
    set_app_context(state)
    ctx.obj = state
    ctx.call_on_close(state.close)
