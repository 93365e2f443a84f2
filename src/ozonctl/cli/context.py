"""The application object every command gets: global options, settings, the profile, the
client, output, confirmation, the state lock and journals.

A command reaches it with ``app_context()``. Everything is built on first use, so a
command that never talks to Ozon never imports httpx.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozonctl.errors import Declined, UsageError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ozonctl.cli.output import Output
    from ozonctl.client.client import OzonClient
    from ozonctl.keys import KeyInfo
    from ozonctl.settings import Paths, Profile, Settings
    from ozonctl.state.journal import Journal
    from ozonctl.state.lock import StateLock


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class AppContext:
    profile_name: str | None = None
    base_url: str | None = None
    json: bool = False
    yes: bool = False
    dry_run: bool = False
    no_input: bool = False
    debug: bool = False
    no_color: bool = False
    wait_lock: float = 0.0
    allow_new_profile: bool = False
    """Set by the commands that create a profile (``auth login``, ``config set``): any
    other command stops on a profile named nowhere (exit 2)."""
    json_fields: list[str] | None = None
    _client: OzonClient | None = field(default=None, repr=False)
    _roles_ahead: Future[Any] | None = field(default=None, repr=False)

    # -- environment ------------------------------------------------------------------
    @cached_property
    def paths(self) -> Paths:
        from ozonctl.settings import Paths

        return Paths.from_env()

    @cached_property
    def settings(self) -> Settings:
        from ozonctl.settings import Settings

        return Settings(self.paths)

    @cached_property
    def profile(self) -> Profile:
        return self.settings.resolve(
            self.profile_name, base_url=self.base_url, must_exist=not self.allow_new_profile
        )

    @cached_property
    def output(self) -> Output:
        from ozonctl.cli.output import Output

        return Output(
            json_mode=self.json,
            no_color=self.no_color,
            zone=self.time_zone,
            json_fields=self.json_fields,
        )

    def time_zone(self) -> Any:
        """The zone tables show times in: config ``timezone``, else ``TZ``, else the
        system's (``cli/times.py``)."""
        from ozonctl.cli.times import local_zone

        setting = self.settings.config.get("timezone")
        return local_zone(str(setting) if setting else None)

    @property
    def interactive(self) -> bool:
        """May we ask the user? Not with --no-input, CI=true, or without a terminal."""
        if self.no_input or env_flag("CI"):
            return False
        return sys.stdin.isatty() and sys.stderr.isatty()

    def state_dir(self) -> Path:
        return self.paths.profile_state(self.profile.name)

    def cache_dir(self) -> Path:
        return self.paths.profile_cache(self.profile.name)

    def catalog_dir(self) -> Path:
        """The profile's catalogue caches (index and sales history, ``ozonctl.catalog``)."""
        return self.cache_dir() / "catalog"

    # -- the client -------------------------------------------------------------------
    def client(self) -> OzonClient:
        """The profile's client (one keep-alive pool), built on first use. Before its
        first write to a method it checks the key's roles (``ozonctl.keys.WriteGuard``);
        a write Ozon refuses (403) forgets the day's cached roles."""
        if self._client is None:
            from ozonctl.keys import WriteGuard, forget

            client = self.make_client(self.profile)
            client.before_write = WriteGuard(
                lambda: self.key_info(client),
                self.profile.name,
                log=self.output.info if self.debug else None,
            )
            client.write_refused = lambda _path: forget(self.key_cache())
            self._client = client
            self.output.waiting()  # a spinner if Ozon is slow to answer (terminal only)
        return self._client

    def check_roles(self, *endpoint_names: str) -> None:
        """Judge the key's roles for each write endpoint (``client/endpoints`` names) before a
        journal operation opens: a write the key may not make stops (exit 4) with nothing
        sent and no operation left "running" for doctor to call unfinished."""
        from ozonctl.client import endpoints

        guard = self.client().before_write
        for name in endpoint_names:
            if guard is not None:
                guard(endpoints.get(name).path)

    def expect_writes(self) -> None:
        """A command that will write once its reads are done calls this as it starts:
        the key's roles (the day's cache or one ``/v1/roles``) are read in the background
        meanwhile, not between its last read and its first write. Nothing is read for a
        dry run or where the confirmation cannot pass (no ``--yes`` off a terminal)."""
        from ozonctl.keys import WriteGuard

        if self.dry_run or not (self.yes or self.interactive):
            return
        guard = self.client().before_write
        if isinstance(guard, WriteGuard) and self._roles_ahead is None:
            self._roles_ahead = guard.prefetch()

    def key_cache(self, profile: Profile | None = None) -> Path:
        """Where the answer of ``/v1/roles`` for the profile's key is kept a day."""
        from ozonctl.keys import cache_file

        p = profile or self.profile
        return cache_file(self.paths.cache_dir, p.client_id or "", p.api_key or "")

    def key_info(
        self,
        client: OzonClient,
        profile: Profile | None = None,
        *,
        refresh: bool = False,
        remember: bool = True,
    ) -> KeyInfo:
        """The key's expiry and roles: the day's cache, else one ``/v1/roles`` call (kept
        in the cache when ``remember``)."""
        from ozonctl.keys import key_info

        return key_info(client, self.key_cache(profile), refresh=refresh, remember=remember)

    def make_client(self, profile: Profile, *, check_credentials: bool = True) -> OzonClient:
        from ozonctl.client.client import OzonClient
        from ozonctl.client.urls import UnsafeBaseURLError

        if check_credentials:
            client_id, api_key = profile.require_credentials()
        else:
            client_id, api_key = profile.client_id or "", profile.api_key or ""
        log = self.output.info if self.debug else None
        from ozonctl.client._httpx import httpx

        try:
            return OzonClient(
                client_id=client_id,
                api_key=api_key,
                base_url=profile.base_url,
                rps=profile.rps,
                burst=profile.burst,
                concurrency=profile.concurrency,
                per_minute=profile.per_minute or None,
                max_retries=profile.max_retries,
                timeout=httpx.Timeout(profile.timeout, connect=min(5.0, profile.timeout)),
                log=(lambda line: log(f"http: {line}")) if log else None,
            )
        except UnsafeBaseURLError as exc:
            raise UsageError(str(exc)) from None

    def close(self) -> None:
        if "output" in self.__dict__:
            self.output.stop_waiting()
        if self._roles_ahead is not None:  # its thread may be writing the key's cache
            with contextlib.suppress(Exception):
                self._roles_ahead.result()
            self._roles_ahead = None
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- safety -----------------------------------------------------------------------
    def confirm(self, question: str, *, default: bool = False) -> None:
        """Ask before a write; return to go on, raise to stop.

        ``--yes`` goes on without asking. Where it cannot ask (a pipe, cron, CI,
        ``--no-input``) it stops with "--yes required"."""
        if self.yes:
            return
        if not self.interactive:
            raise UsageError(
                f"{question.rstrip('?')}: --yes required when not running interactively",
                hint="add --yes (or --dry-run to see the plan)",
            )
        from rich.prompt import Confirm

        self.output.stop_waiting()
        if not Confirm.ask(question, default=default, console=self.output.err_console):
            raise Declined("aborted", hint="nothing was sent")

    def lock(self, purpose: str = "") -> StateLock:
        """The profile's state lock (exit 5 when held, or wait ``--wait-lock`` seconds)."""
        from ozonctl.state.lock import StateLock

        return StateLock(self.lock_path(), wait=self.wait_lock, purpose=purpose)

    def lock_path(self) -> Path:
        """One lock per Client-Id: profiles of the same shop never write at once."""
        return self.paths.lock_file(self.profile.name, self.profile.client_id)

    def journal(self, area: str) -> Journal:
        from ozonctl.state.journal import Journal

        return Journal(self.state_dir(), area)


_current: AppContext | None = None


def set_app_context(ctx: AppContext) -> None:
    global _current
    _current = ctx


def app_context() -> AppContext:
    """The running command's context (a default one outside the CLI, e.g. in tests)."""
    global _current
    if _current is None:
        _current = AppContext()
    return _current


def stop_waiting() -> None:
    """End the running command's waiting spinner, if it has one (before an error line)."""
    if _current is not None and "output" in _current.__dict__:
        _current.output.stop_waiting()


def reset_app_context() -> Any:
    global _current
    if _current is not None:
        _current.close()
    _current = None
