"""Where ozonctl keeps its files, and the profiles (one per shop) in them.

- ``OZONCTL_HOME`` set: ``$OZONCTL_HOME/config.toml``, ``credentials.toml``, ``state/``,
  ``cache/``: one folder for tests, cron and containers.
- Otherwise platformdirs' user config, state and cache folders.

``config.toml`` holds settings and profiles; ``credentials.toml`` (mode 0600) the
Client-Id and API key of each profile. ``OZON_CLIENT_ID`` / ``OZON_API_KEY`` win over the
stored ones. The built-in profile ``sandbox`` points at ``ozonctl sandbox serve``'s
default address with its demo keys, so it needs no set-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ozonctl.errors import AuthError, UsageError
from ozonctl.state.files import read_toml, write_toml

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
}
"""Settings a profile may hold in config.toml (besides the ``per_minute`` table)."""


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

    def lock_file(self, profile: str) -> Path:
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
            self._config = read_toml(self.paths.config_file)
        return self._config

    def save_config(self) -> None:
        write_toml(self.paths.config_file, self.config, mode=0o644)

    def default_profile(self) -> str:
        return str(self.config.get("default_profile") or DEFAULT_PROFILE)

    def profile_names(self) -> list[str]:
        names = set(self.config.get("profiles", {})) | set(self._credentials().get("profiles", {}))
        names.add(SANDBOX_PROFILE)
        return sorted(names)

    # -- credentials.toml ----------------------------------------------------------------
    def _credentials(self) -> dict[str, Any]:
        return read_toml(self.paths.credentials_file)

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
    def resolve(self, name: str | None = None, *, base_url: str | None = None) -> Profile:
        """The profile to use: ``name`` (``--profile``), else ``OZONCTL_PROFILE``, else the
        configured default; base URL from ``--base-url``/``OZON_API_URL`` or the profile."""
        name = validate_profile_name(
            name
            if name is not None
            else (self.env.get("OZONCTL_PROFILE") or self.default_profile())
        )
        profile = Profile(name=name)
        if name == SANDBOX_PROFILE:
            profile.base_url = f"http://127.0.0.1:{SANDBOX_PORT}"
            profile.client_id, profile.api_key = SANDBOX_CLIENT_ID, SANDBOX_API_KEY
            profile.credential_source = "builtin"
            profile.rps = None
        stored = self.config.get("profiles", {}).get(name, {})
        for key, kind in PROFILE_KEYS.items():
            if key in stored:
                try:
                    setattr(profile, key, kind(stored[key]))
                except (TypeError, ValueError):
                    raise UsageError(
                        f"config.toml: profiles.{name}.{key} = {stored[key]!r} is not a "
                        f"valid {kind.__name__}",
                        hint=f"fix it with `ozonctl config set {key} VALUE`",
                    ) from None
        if profile.rps is not None and profile.rps <= 0:
            profile.rps = None  # rps = 0 in config turns the client-side limiter off
        per_minute = stored.get("per_minute", {})
        if isinstance(per_minute, dict):
            profile.per_minute = {str(k): int(v) for k, v in per_minute.items()}
        creds = self._credentials().get("profiles", {}).get(name, {})
        if creds.get("client_id") and creds.get("api_key"):
            profile.client_id = str(creds["client_id"])
            profile.api_key = str(creds["api_key"])
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
            typed_pm = _parse(int, key, value)
            table = self.config.setdefault("profiles", {}).setdefault(profile, {})
            table.setdefault("per_minute", {})[path] = typed_pm
            self.save_config()
            return typed_pm
        if key == "default_profile":
            self.config["default_profile"] = validate_profile_name(value)
            self.save_config()
            return value
        if key not in PROFILE_KEYS:
            raise UsageError(
                f"unknown setting {key!r}",
                hint="known: default_profile, " + ", ".join(PROFILE_KEYS) + ", per_minute.PATH",
            )
        typed: Any = _parse(PROFILE_KEYS[key], key, value)
        if key == "base_url":
            from ozonctl.client.urls import UnsafeBaseURLError, check_base_url

            try:
                typed = check_base_url(value)
            except UnsafeBaseURLError as exc:
                raise UsageError(str(exc)) from None
        self.config.setdefault("profiles", {}).setdefault(profile, {})[key] = typed
        self.save_config()
        return typed


def _parse(kind: type, key: str, value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"{key} must be a {kind.__name__}, not {value!r}") from None
