"""``ozonctl doctor``: check what ozonctl needs and print what to fix.

Checks, in order: the home folder, ``config.toml`` and ``credentials.toml`` (owner, mode,
parse), the profile, its keys with one read call (``/v1/seller/info``), when the key
expires (``/v1/roles``: a warning 14 days ahead, a failure once expired), the local clock
against the ``Date`` header of that answer, the profile's state lock, unfinished
journals and files moved aside as unreadable. Doctor reads only: it moves, creates and
changes nothing (a corrupt file is reported, not moved).

Exit 0 when nothing must be fixed (warnings included), 1 when something must, 4 when the
keys are missing or refused.
"""

from __future__ import annotations

import dataclasses
import email.utils
import fcntl
import os
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ozonctl.cli.context import AppContext, app_context
from ozonctl.errors import OzonctlError
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.keys import KeyInfo
    from ozonctl.settings import Profile

app = typer.Typer(help="Check config, credentials, clock, lock and state.", add_completion=False)

Status = Literal["ok", "warn", "fail", "skip"]

CLOCK_SKEW_WARN = 300.0
"""Seconds between the local clock and Ozon's beyond which doctor warns."""
UNFINISHED = ("running", "sending")
"""Journal statuses of an operation still under way: when no run holds the lock, one that
was killed. (``interrupted`` marks a killed run a later run has already settled.)"""
MAX_LISTED = 10
"""At most this many journals or moved-aside files are listed one by one."""

now: Callable[[], float] = time.time
"""The local clock (tests replace it)."""


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    auth: bool = False
    """A failure of the credentials themselves (exit 4)."""

    def as_row(self) -> dict[str, Any]:
        return {"check": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


def exit_code(checks: list[Check]) -> ExitCode:
    failed = [c for c in checks if c.status == "fail"]
    if any(c.auth for c in failed):
        return ExitCode.AUTH
    return ExitCode.ERROR if failed else ExitCode.OK


# -- files ------------------------------------------------------------------------------


def _owner_problem(path: Path, st: os.stat_result, name: str) -> Check | None:
    uid = os.getuid()
    if st.st_uid == uid:
        return None
    return Check(
        name,
        "fail",
        f"{path} is owned by uid {st.st_uid}, not by you (uid {uid})",
        f"chown {uid} {path}",
    )


def check_home(ctx: AppContext) -> Iterator[Check]:
    paths = ctx.paths
    where = "OZONCTL_HOME" if os.environ.get("OZONCTL_HOME") else "the platform's folders"
    folder = paths.config_dir
    try:
        st = folder.stat()
    except FileNotFoundError:
        yield Check("home", "ok", f"{folder} ({where}): not created yet, nothing stored")
        return
    yield _owner_problem(folder, st, "home") or Check("home", "ok", f"{folder} ({where})")
    if st.st_mode & 0o022:
        yield Check(
            "home",
            "fail",
            f"{folder} is writable by others (mode {st.st_mode & 0o777:04o}): they could "
            "replace your config or credentials",
            f"chmod go-w {folder}",
        )


def check_file(path: Path, name: str, *, secret: bool) -> tuple[list[Check], bool]:
    """Owner, mode and TOML syntax of one file; the flag says whether it parsed."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return [Check(name, "ok", f"{path}: not present")], True
    checks: list[Check] = []
    owner = _owner_problem(path, st, name)
    if owner:
        checks.append(owner)
    mode = st.st_mode & 0o777
    if secret and mode != 0o600:
        checks.append(
            Check(
                name,
                "fail",
                f"{path} has mode {mode:04o}; it holds API keys and must be 0600",
                f"chmod 600 {path}",
            )
        )
    elif not secret and mode & 0o022:
        checks.append(
            Check(
                name,
                "fail",
                f"{path} is writable by others (mode {mode:04o}): they could point "
                "base_url elsewhere and collect your API key",
                f"chmod 644 {path}",
            )
        )
    try:
        tomllib.loads(path.read_bytes().decode("utf-8"))
    except PermissionError:
        checks.append(Check(name, "fail", f"{path}: permission denied", f"chown/chmod {path}"))
        return checks, False
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        again = " and log in again (`ozonctl auth login`)" if secret else ""
        checks.append(
            Check(
                name,
                "fail",
                f"{path} does not parse: {first}",
                f"fix it by hand{again}; ozonctl never moves or changes this file, and "
                "every command stops (exit 2) until it parses",
            )
        )
        return checks, False
    if not checks:
        checks.append(Check(name, "ok", f"{path}: mode {mode:04o}, parses"))
    return checks, True


# -- profile, keys and clock --------------------------------------------------------------

_SOURCES = {
    "env": "the environment (OZON_CLIENT_ID / OZON_API_KEY)",
    "file": "credentials.toml",
    "builtin": "the built-in sandbox keys",
}


def check_profile(ctx: AppContext) -> tuple[Check, Profile | None]:
    try:
        profile = ctx.profile
    except OzonctlError as exc:
        return Check("profile", "fail", exc.message, exc.hint or ""), None
    return Check("profile", "ok", f"{profile.name!r} at {profile.base_url}"), profile


def missing_keys(profile: Profile) -> Check | None:
    if profile.client_id and profile.api_key:
        return None
    return Check(
        "keys",
        "fail",
        f"no credentials for profile {profile.name!r}",
        f"run `ozonctl --profile {profile.name} auth login`, or set OZON_CLIENT_ID and "
        "OZON_API_KEY (no shop yet? `ozonctl sandbox serve` and `--profile sandbox`)",
        auth=True,
    )


def check_keys(ctx: AppContext, profile: Profile) -> Iterator[Check]:
    """Two read calls: do the keys work, when does the key expire (``/v1/roles``), and is
    the clock right (the ``Date`` header)?"""
    from ozonctl.cli.failures import describe
    from ozonctl.commands.auth import verify

    source = _SOURCES.get(profile.credential_source, profile.credential_source)
    probe = dataclasses.replace(profile, max_retries=1, timeout=min(profile.timeout, 15.0))
    answered: list[tuple[int, str | None]] = []
    try:
        checked = verify(
            probe,
            remember=False,
            on_close=lambda client: answered.append((client.stats["requests"], client.server_date)),
        )
    except Exception as exc:  # noqa: BLE001 — every failure becomes a line to act on
        message, code = describe(exc)
        yield Check(
            "keys",
            "fail",
            f"Client-Id {profile.client_id} from {source}: {message}",
            _keys_fix(profile, exc, code),
            auth=code == ExitCode.AUTH,
        )
    else:
        yield Check(
            "keys",
            "ok",
            f"Ozon accepted Client-Id {profile.client_id} from {source} ({checked.company})",
        )
        yield check_expiry(checked.key, checked.key_error)
    local = now()
    requests, server_date = answered[0] if answered else (0, None)
    if requests and server_date is None:
        yield Check("clock", "skip", "the server's answer had no Date header")
    else:
        yield check_clock(server_date, local)


def check_expiry(key: KeyInfo | None, error: str | None = None) -> Check:
    """When the key expires: a warning ``WARN_DAYS`` ahead, a failure once it has."""
    from ozonctl.keys import NEW_KEY, WARN_DAYS, now_utc

    if key is None:
        return Check("key expiry", "skip", f"Ozon's /v1/roles did not answer ({error})")
    at = now_utc()
    text = f"the API key {key.expiry_text(at)}"
    state = key.state(at)
    if state == "ok":
        return Check("key expiry", "ok", text)
    if state == "unknown":
        return Check("key expiry", "skip", text)
    if state == "soon":
        return Check("key expiry", "warn", f"{text}: under {WARN_DAYS} days left", NEW_KEY)
    return Check("key expiry", "fail", text, NEW_KEY, auth=True)


NEW_KEY_FIX = (
    "keys last 3 months: make a new key in Seller Center (Settings → Seller API) and run "
    "`ozonctl auth login`"
)


def _keys_fix(profile: Profile, exc: Exception, code: ExitCode) -> str:
    from ozonctl.client.errors import APIConnectionError

    if isinstance(exc, APIConnectionError):
        if profile.name == "sandbox":
            return "start the sandbox in another terminal: `ozonctl sandbox serve`"
        return f"check the network and the address {profile.base_url} (--base-url/OZON_API_URL)"
    if code == ExitCode.AUTH:
        if "has expired" in str(exc) or "Ozon revoked" in str(exc):
            return NEW_KEY_FIX
        if profile.credential_source == "env":
            return "check OZON_CLIENT_ID and OZON_API_KEY (they win over credentials.toml)"
        return (
            f"create a new key in the seller portal and run "
            f"`ozonctl --profile {profile.name} auth login`"
        )
    return "run `ozonctl --debug doctor` for the request log"


def check_clock(server_date: str | None, local: float) -> Check:
    if not server_date:
        return Check("clock", "skip", "no answer from the server to compare with")
    try:
        server = email.utils.parsedate_to_datetime(server_date).timestamp()
    except (TypeError, ValueError):
        return Check("clock", "skip", f"cannot read the server's Date header {server_date!r}")
    skew = local - server
    if abs(skew) <= CLOCK_SKEW_WARN:
        return Check("clock", "ok", f"within {abs(skew):.0f} s of the server's clock")
    way = "ahead of" if skew > 0 else "behind"
    return Check(
        "clock",
        "warn",
        f"the local clock is {_duration(abs(skew))} {way} the server's: dates such as "
        "'today', sales windows and cron times will be off",
        "turn on time sync (`timedatectl set-ntp true`, chrony or ntpd)",
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# -- lock and state -------------------------------------------------------------------------


def lock_holder(path: Path) -> tuple[bool, str]:
    """Is the lock held now, and what its file says (pid, since, purpose).

    Probes with a shared, non-blocking ``flock`` released at once; never creates the file.
    """
    try:  # never through a symlink, never blocked by a FIFO put in its place
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return False, ""
    except OSError as exc:
        return False, f"not ozonctl's lock file ({exc.strerror or exc})"
    try:
        text = os.read(fd, 300).decode("utf-8", "replace").strip()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True, text
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False, text
    finally:
        os.close(fd)


def check_lock(path: Path) -> tuple[Check, bool]:
    try:
        held, text = lock_holder(path)
    except PermissionError:
        return Check("lock", "fail", f"{path}: permission denied", f"chown/chmod {path}"), False
    if held:
        return (
            Check(
                "lock",
                "warn",
                f"held now by another ozonctl run ({text or 'no details'})",
                "wait for it to finish; if it hangs, look at that process",
            ),
            True,
        )
    if text:
        return (
            Check(
                "lock",
                "warn",
                f"free, but its last holder ({text}) did not release it cleanly: it was "
                "killed or crashed",
                "see the journals below; rerun the interrupted command to finish its job",
            ),
            False,
        )
    return Check("lock", "ok", f"free ({path})"), False


UNKNOWN_FIX = {
    "promo": "`ozonctl promo rejoin ID` (undo) or the same `promo leave` reads Ozon's state "
    "first; `ozonctl promo products ID` shows it",
}
"""What to do about a journal with unknown outcomes, by area (others: check in Ozon)."""


def unknown_outcomes(header: dict[str, Any]) -> int | bool:
    """How many outcomes of a journal's operation are unknown (a write that timed out or
    got a 5xx), from its ``op.toml`` as every kind of operation writes it: ``status =
    "unknown"`` (one write: True), an ``unknown`` count or list (0 once a later run read
    the state back), or else ``counts.unknown``; 0 when none."""
    if header.get("status") == "unknown":
        return True
    value = header.get("unknown")
    if value is None:
        counts = header.get("counts")
        value = counts.get("unknown", 0) if isinstance(counts, dict) else 0
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _journal_ops(state_dir: Path) -> Iterator[tuple[Path, dict[str, Any] | str]]:
    for op_file in sorted(state_dir.glob("journal/*/*/op.toml")):
        try:
            yield op_file, tomllib.loads(op_file.read_bytes().decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            yield op_file, str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def check_journals(state_dir: Path, *, lock_held: bool) -> Iterator[Check]:
    found = 0
    for op_file, header in _journal_ops(state_dir):
        area = op_file.parent.parent.name
        if isinstance(header, str):
            found += 1
            if found <= MAX_LISTED:
                yield Check(
                    "journal",
                    "warn",
                    f"{op_file} does not parse: {header}",
                    "look at it; ozonctl moves it aside when it next reads it",
                )
            continue
        status = str(header.get("status", "unknown"))
        unknown = unknown_outcomes(header)
        if status not in UNFINISHED and not unknown:
            continue  # done, partial, failed, abandoned, undone, settled
        ref, kind = op_file.parent.name, str(header.get("kind", ""))
        when = header.get("created", "?")
        if status in UNFINISHED and lock_held:
            continue  # most likely the run that holds the lock right now
        found += 1
        if found > MAX_LISTED:
            continue
        if status not in UNFINISHED:
            what = "a write's outcome is" if unknown is True else f"{unknown} outcome(s) are"
            yield Check(
                "journal",
                "warn",
                f"{area} {kind} {ref} (started {when}): {what} unknown (a request timed out "
                "or got a 5xx; it may or may not have been applied)",
                UNKNOWN_FIX.get(area, f"check the result (`ozonctl {area} …`) before retrying"),
            )
        else:
            yield Check(
                "journal",
                "warn",
                f"{area} {kind} {ref} (started {when}) did not finish (status {status})",
                f"rerun `ozonctl {area} {kind}` with the same arguments: it goes on from "
                f"the journal in {op_file.parent}",
            )
    if found > MAX_LISTED:
        yield Check("journal", "warn", f"… and {found - MAX_LISTED} more unfinished journals")
    if not found:
        yield Check("journal", "ok", "no unfinished operations")


def check_moved_aside(ctx: AppContext, profile_name: str) -> Iterator[Check]:
    paths = ctx.paths
    found: list[Path] = sorted(paths.config_dir.glob("*.corrupt-*"))
    for folder in (paths.profile_state(profile_name), paths.profile_cache(profile_name)):
        if folder.is_dir():
            found.extend(sorted(folder.rglob("*.corrupt-*")))
    for path in found[:MAX_LISTED]:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
        yield Check(
            "moved aside",
            "warn",
            f"{path} could not be read and was moved aside (last changed {when})",
            "look at it, then delete it",
        )
    if len(found) > MAX_LISTED:
        yield Check("moved aside", "warn", f"… and {len(found) - MAX_LISTED} more")


# -- the command --------------------------------------------------------------------------


def run_checks(ctx: AppContext, *, offline: bool = False) -> list[Check]:
    checks = list(check_home(ctx))
    config, config_ok = check_file(ctx.paths.config_file, "config", secret=False)
    creds, creds_ok = check_file(ctx.paths.credentials_file, "credentials", secret=True)
    checks += config + creds
    if not (config_ok and creds_ok):
        checks.append(
            Check("profile", "skip", "not resolved until the files above parse (doctor reads only)")
        )
        return checks
    found, profile = check_profile(ctx)
    checks.append(found)
    if profile is None:
        return checks
    missing = missing_keys(profile)
    if missing is not None:
        checks.append(missing)
    elif offline:
        checks.append(Check("keys", "skip", "--offline: no call made"))
    else:
        checks += check_keys(ctx, profile)
    name = profile.name
    lock, held = check_lock(ctx.lock_path())
    checks.append(lock)
    checks += check_journals(ctx.paths.profile_state(name), lock_held=held)
    checks += check_moved_aside(ctx, name)
    return checks


_MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "bold red")}


def render(out: Output, checks: list[Check], code: ExitCode) -> None:
    from ozonctl.cli.output import Column

    to_fix = sum(c.status == "fail" for c in checks)
    warnings = sum(c.status == "warn" for c in checks)
    if out.json:
        rows = [c.as_row() for c in checks]
        out.document({"ok": code == 0, "exit_code": int(code), "checks": rows})
        return
    if not out.human:
        cols = [Column(k, k) for k in ("check", "status", "detail", "fix")]
        out.rows(cols, (c.as_row() for c in checks))
    else:
        from rich.markup import escape

        width = max(len(c.name) for c in checks)
        for c in checks:
            mark, style = _MARKS.get(c.status, ("-", "dim"))
            out.console.print(
                f"[{style}]{mark}[/{style}] {c.name:<{width}}  {escape(c.detail)}",
                soft_wrap=True,
            )
            if c.fix:
                out.console.print(
                    f"  {'':<{width}}  [bold]fix:[/bold] {escape(c.fix)}", soft_wrap=True
                )
    if to_fix:
        out.error(f"{to_fix} thing{'s' if to_fix > 1 else ''} to fix (see 'fix:' above)")
    elif warnings:
        out.warn(f"nothing must be fixed; {warnings} warning{'s' if warnings > 1 else ''}")
    else:
        out.success("all is well")


@app.command()
def doctor(
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Make no call to Ozon (skips the keys and clock checks)."),
    ] = False,
) -> None:
    """Check config and credentials files, the keys (one read call), the clock, the lock and
    the state files, and print what to fix. Exit 0 all well, 1 something to fix, 4 the keys
    are missing or refused."""
    ctx = app_context()
    checks = run_checks(ctx, offline=offline)
    code = exit_code(checks)
    render(ctx.output, checks, code)
    if code:
        raise typer.Exit(int(code))
