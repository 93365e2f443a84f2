"""Where ozonctl keeps its files, and the profiles (one per shop) in them.

- ``OZONCTL_HOME`` set: ``$OZONCTL_HOME/config.toml``, ``credentials.toml``, ``state/``,
  ``cache/``: one folder for tests, cron and containers.
- Otherwise platformdirs' user config, state and cache folders.

``config.toml`` holds settings and profiles; ``credentials.toml`` (mode 0600) the
Client-Id and API key of each profile. ``OZON_CLIENT_ID`` / ``OZON_API_KEY`` win over the
stored ones. The built-in profile ``sandbox`` points at ``ozonctl sandbox serve``'s
default address with its demo keys, so it needs no set-up.

Both files are the seller's: ozonctl writes them only when asked (``auth login``,
``config set``) and never moves one aside. A syntax error, a value of the wrong type or
out of range, or a special file in their place stops the command with one line and
exit 2.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozonctl.errors import AuthError, UsageError
from ozonctl.state.files import read_user_toml, write_toml

DEFAULT_PROFILE = "default"
SANDBOX_PROFILE = "sandbox"
SANDBOX_PORT = 8642
SANDBOX_CLIENT_ID = "sandbox"
SANDBOX_API_KEY = "sandbox-key"
DEFAULT_BASE_URL = "https://api-seller.ozon.ru"

PROFILE_KEYS: dict[str, type] = {
    "base_url": str,
    "rps": float,
    "burst": int,
    "concurrency": int,
    "timeout": float,
    "max_retries": int,
    "cancel_threshold": float,
    "cost_file": str,
}
"""Settings a profile may hold in config.toml (besides the ``per_minute`` table)."""

LIMITS: dict[str, tuple[float, float, bool]] = {
    "rps": (0, 10_000, True),
    "burst": (1, 10_000, True),
    "concurrency": (1, 64, True),
    "timeout": (0, 3_600, False),
    "max_retries": (0, 20, True),
    "cancel_threshold": (0, 100, True),
}
"""(lowest, highest, lowest allowed?) of each number: what later commands can work with
(``rps 0`` turns the client-side limiter off; a timeout must be above 0)."""
PER_MINUTE_MAX = 100_000


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    state_dir: Path
    cache_dir: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Paths:
        env = os.environ if env is None else env
        home = env.get("OZONCTL_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(root, root / "state", root / "cache")
        import platformdirs

        return cls(
            Path(platformdirs.user_config_dir("ozonctl")),
            Path(platformdirs.user_state_dir("ozonctl")),
            Path(platformdirs.user_cache_dir("ozonctl")),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def credentials_file(self) -> Path:
        return self.config_dir / "credentials.toml"

    def profile_state(self, profile: str) -> Path:
        return self.state_dir / "profiles" / profile

    def profile_cache(self, profile: str) -> Path:
        return self.cache_dir / "profiles" / profile

    def lock_file(self, profile: str, client_id: str | None = None) -> Path:
        """The state lock: one per Client-Id (profiles of one shop share it: they change
        the same products), else per profile (no keys yet)."""
        if client_id:
            safe = "".join(c for c in client_id if c.isascii() and c.isalnum())
            if safe != client_id:
                import hashlib

                safe = hashlib.sha256(client_id.encode("utf-8", "surrogatepass")).hexdigest()
            return self.state_dir / "locks" / f"client-{safe[:64]}.lock"
        return self.profile_state(profile) / "state.lock"


@dataclass
class Profile:
    name: str
    base_url: str = DEFAULT_BASE_URL
    client_id: str | None = None
    api_key: str | None = None
    credential_source: str = "none"
    """Where the keys came from: ``env``, ``file``, ``builtin`` or ``none``."""
    rps: float | None = 50.0
    burst: int = 30
    """Requests that may go at once before the rate applies: part of a second's worth
    (the textbook reading of "50 a second" lets 50 go at once, as aiolimiter does), 20
    short so that requests arriving bunched (up to 0.4 s of jitter at 50/s) still find
    room at Ozon; a 429 ends the bursts."""
    concurrency: int = 8
    timeout: float = 30.0
    max_retries: int = 4
    per_minute: dict[str, int] = field(default_factory=dict)
    cancel_threshold: float | None = None
    """Percent; ``order cancel`` refuses at or over it (None: ozonctl's default)."""
    cost_file: str | None = None
    """The seller's costs file (offer id → cost) the margin commands read when Ozon
    keeps no ``net_price`` and no ``--cost-file`` is given."""

    def require_credentials(self) -> tuple[str, str]:
        if not self.client_id or not self.api_key:
            raise AuthError(
                f"no credentials for profile {self.name!r}",
                hint="run `ozonctl auth login`, or set OZON_CLIENT_ID and OZON_API_KEY "
                "(try `--profile sandbox` with `ozonctl sandbox serve`)",
            )
        return self.client_id, self.api_key


def validate_profile_name(name: str) -> str:
    if not name or not all(c.isalnum() or c in "-_." for c in name) or name.startswith("."):
        raise UsageError(
            f"invalid profile name {name!r}",
            hint="use letters, digits, '-', '_' or '.'",
        )
    return name


class Settings:
    """config.toml and credentials.toml of one ozonctl home."""

    def __init__(self, paths: Paths, env: Mapping[str, str] | None = None) -> None:
        self.paths = paths
        self.env = os.environ if env is None else env
        self._config: dict[str, Any] | None = None

    # -- config.toml ------------------------------------------------------------------
    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = read_user_toml(self.paths.config_file)
            _check_tables(self._config, self.paths.config_file, "profiles")
        return self._config

    def save_config(self) -> None:
        write_toml(self.paths.config_file, self.config, mode=0o644)

    def default_profile(self) -> str:
        value = self.config.get("default_profile") or DEFAULT_PROFILE
        if not isinstance(value, str):
            raise UsageError(
                f"{self.paths.config_file}: default_profile = {value!r} is not a name",
                hint="fix it with `ozonctl config set default_profile NAME`",
            )
        return value

    def profile_names(self) -> list[str]:
        names = set(self.config.get("profiles", {})) | set(self._credentials().get("profiles", {}))
        names.add(SANDBOX_PROFILE)
        return sorted(names)

    def require_known(self, name: str) -> None:
        """Stop (exit 2) on a profile named nowhere: not in config.toml, credentials.toml,
        the built-in ``sandbox`` nor the implicit ``default`` (a typo in ``--profile``
        would otherwise read as refused keys)."""
        if name == DEFAULT_PROFILE or name in self.profile_names():
            return
        raise UsageError(
            f"no profile {name!r} — known: {', '.join(self.profile_names())}",
            hint=f"create it with `ozonctl --profile {name} auth login`",
        )

    # -- credentials.toml ----------------------------------------------------------------
    def _credentials(self) -> dict[str, Any]:
        data = read_user_toml(self.paths.credentials_file)
        _check_tables(data, self.paths.credentials_file, "profiles")
        return data

    def save_credentials(self, profile: str, client_id: str, api_key: str) -> None:
        data = self._credentials()
        data.setdefault("profiles", {})[profile] = {"client_id": client_id, "api_key": api_key}
        write_toml(self.paths.credentials_file, data, mode=0o600)

    def remove_credentials(self, profile: str) -> bool:
        data = self._credentials()
        if profile not in data.get("profiles", {}):
            return False
        del data["profiles"][profile]
        write_toml(self.paths.credentials_file, data, mode=0o600)
        return True

    # -- resolution -------------------------------------------------------------------
    def resolve(
        self, name: str | None = None, *, base_url: str | None = None, must_exist: bool = False
    ) -> Profile:
        """The profile to use: ``name`` (``--profile``), else ``OZONCTL_PROFILE``, else the
        configured default; base URL from ``--base-url``/``OZON_API_URL`` or the profile.
        ``must_exist``: a name known nowhere is an error (see ``require_known``)."""
        name = validate_profile_name(
            name
            if name is not None
            else (self.env.get("OZONCTL_PROFILE") or self.default_profile())
        )
        if must_exist:
            self.require_known(name)
        profile = Profile(name=name)
        if name == SANDBOX_PROFILE:
            profile.base_url = f"http://127.0.0.1:{SANDBOX_PORT}"
            profile.client_id, profile.api_key = SANDBOX_CLIENT_ID, SANDBOX_API_KEY
            profile.credential_source = "builtin"
            profile.rps = None
        where = f"{self.paths.config_file}: profiles.{name}"
        stored = self.config.get("profiles", {}).get(name, {})
        _check_tables(stored, self.paths.config_file, "per_minute", where=f"profiles.{name}.")
        for key in PROFILE_KEYS:
            if key in stored:
                setattr(profile, key, _typed(key, stored[key], f"{where}.{key}"))
        if profile.rps is not None and profile.rps <= 0:
            profile.rps = None  # rps = 0 in config turns the client-side limiter off
        for path, value in stored.get("per_minute", {}).items():
            profile.per_minute[str(path)] = _per_minute(value, f"{where}.per_minute.{path}")
        creds = self._credentials().get("profiles", {}).get(name, {})
        if creds.get("client_id") and creds.get("api_key"):
            profile.client_id, profile.api_key = _stored_keys(
                creds, f"{self.paths.credentials_file}: profiles.{name}"
            )
            profile.credential_source = "file"
        env_id, env_key = self.env.get("OZON_CLIENT_ID"), self.env.get("OZON_API_KEY")
        if env_id:
            profile.client_id = env_id
            profile.credential_source = "env"
        if env_key:
            profile.api_key = env_key
            profile.credential_source = "env"
        override = base_url or self.env.get("OZON_API_URL")
        if override:
            profile.base_url = override
        from ozonctl.client.urls import UnsafeBaseURLError, check_base_url

        try:
            profile.base_url = check_base_url(profile.base_url)
        except UnsafeBaseURLError as exc:
            raise UsageError(str(exc)) from None
        return profile

    def set_profile_value(self, profile: str, key: str, value: str) -> Any:
        """``ozonctl config set``: validate and store one profile setting."""
        if key.startswith("per_minute."):
            path = key.removeprefix("per_minute.")
            if not path.startswith("/"):
                raise UsageError(f"{key}: expected per_minute./vN/some/path")
            typed_pm = _per_minute(value, key)
            table = self.config.setdefault("profiles", {}).setdefault(profile, {})
            table.setdefault("per_minute", {})[path] = typed_pm
            self.save_config()
            return typed_pm
        if key == "default_profile":
            self.config["default_profile"] = validate_profile_name(value)
            self.save_config()
            return value
        if key == "timezone":
            from ozonctl.cli.times import check_zone

            check_zone(value)
            self.config["timezone"] = value.strip()
            self.save_config()
            return value.strip()
        if key == "templates":  # the seller's reply templates file (docs/customer-service.md)
            self.config["templates"] = value.strip()
            self.save_config()
            return value.strip()
        if key not in PROFILE_KEYS:
            raise UsageError(
                f"unknown setting {key!r}",
                hint="known: default_profile, timezone, templates, "
                + ", ".join(PROFILE_KEYS)
                + ", per_minute.PATH",
            )
        typed: Any = _typed(key, value, key)
        if key == "cost_file":  # where it was set: a cron job elsewhere reads the same file
            typed = str(Path(value).expanduser().absolute())
        if key == "base_url":
            from ozonctl.client.urls import UnsafeBaseURLError, check_base_url

            try:
                typed = check_base_url(value)
            except UnsafeBaseURLError as exc:
                raise UsageError(str(exc)) from None
        self.config.setdefault("profiles", {}).setdefault(profile, {})[key] = typed
        self.save_config()
        return typed


def _typed(key: str, value: Any, where: str) -> Any:
    """``value`` (from config.toml or ``config set``) as the setting's type, in range; one
    line naming ``where`` otherwise."""
    kind = PROFILE_KEYS[key]
    fix = f"set it with `ozonctl config set {key} VALUE`"
    if kind is str:
        if not isinstance(value, str):
            raise UsageError(f"{where} = {value!r} must be text", hint=fix)
        return value
    name = "a whole number" if kind is int else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UsageError(f"{where} = {value!r} must be {name}", hint=fix)
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except ValueError:
        raise UsageError(f"{where} = {value!r} must be {name}", hint=fix) from None
    if not math.isfinite(number) or (kind is int and number != int(number)):
        raise UsageError(f"{where} = {value!r} must be {name}", hint=fix)
    low, high, low_ok = LIMITS[key]
    if number > high or number < low or (number == low and not low_ok):
        lowest = f"at least {low:g}" if low_ok else f"above {low:g}"
        raise UsageError(f"{where} = {value!r} must be {lowest} and at most {high:g}", hint=fix)
    return int(number) if kind is int else number


def _per_minute(value: Any, where: str) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= PER_MINUTE_MAX:
        raise UsageError(
            f"{where} = {value!r} must be a whole number of requests a minute, 1 to "
            f"{PER_MINUTE_MAX:,}",
            hint="set it with `ozonctl config set per_minute./vN/path N`",
        )
    return value


def _stored_keys(creds: dict[str, Any], where: str) -> tuple[str, str]:
    client_id, api_key = creds["client_id"], creds["api_key"]
    if isinstance(client_id, int) and not isinstance(client_id, bool):
        client_id = str(client_id)
    if not isinstance(client_id, str) or not isinstance(api_key, str):
        raise UsageError(
            f"{where}: client_id and api_key must be text",
            hint="log in again with `ozonctl auth login`",
        )
    return client_id, api_key


def _check_tables(data: dict[str, Any], file: Path, *keys: str, where: str = "") -> None:
    """``data[key]`` must be a table of tables (``profiles``) or a table (``per_minute``)."""
    for key in keys:
        table = data.get(key, {})
        nested = key == "profiles"
        if not isinstance(table, dict) or (
            nested and not all(isinstance(v, dict) for v in table.values())
        ):
            raise UsageError(
                f"{file}: {where}{key} must be a table" + (" of tables" if nested else ""),
                hint="fix the file (TOML), or move it away and set things again",
            )
