"""The API key's expiry and roles (Ozon's ``/v1/roles``), remembered a day per key.

Since 2026-09 Ozon's API keys expire three months after they are made, and Ozon may
revoke one early (suspicious activity, load). ``auth login``, ``auth status`` and
``doctor`` show the expiry and warn ``WARN_DAYS`` ahead; before a write, a key whose roles
do not list the method stops the command before anything is sent (``WriteGuard``).

The answer is kept in ozonctl's cache folder, ``keys/<Client-Id>-<hash of the key>.toml``
(mode 0600; a new key is a new file, so ``auth login`` with a fresh key is never judged by
the old one's roles). It is ozonctl's own cache: a corrupt one is moved aside and asked
for again. Ozon does not document how it words the refusal of an expired key, so an
expired key is recognised by the cached ``expires_at`` as well as by the message.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ozonctl.errors import AuthError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ozonctl.client.client import OzonClient

WARN_DAYS = 14
"""Warn this many days before the key expires."""
CACHE_FOR = timedelta(days=1)
"""How long an answer of ``/v1/roles`` is trusted."""
NEW_KEY = "make a new key in Seller Center (Settings → Seller API) and run `ozonctl auth login`"

State = Literal["ok", "soon", "expired", "unknown"]


@dataclass(frozen=True)
class KeyInfo:
    expires_at: datetime | None
    roles: tuple[tuple[str, tuple[str, ...]], ...] | None
    """(role name, methods) pairs; None when Ozon's answer had no roles field."""
    checked_at: datetime

    def allows(self, path: str) -> bool | None:
        """Does a role list ``path`` (exactly, or a prefix of it ending at a ``/``, as
        Ozon's example lists ``/v1/posting``)? None when the roles are not known."""
        if self.roles is None:
            return None
        for _name, methods in self.roles:
            for method in methods:
                stem = method.strip().rstrip("/")
                if stem and (path == stem or path.startswith(stem + "/")):
                    return True
        return False

    @property
    def role_names(self) -> list[str]:
        return [name for name, _ in self.roles or ()]

    def state(self, now: datetime) -> State:
        if self.expires_at is None:
            return "unknown"
        if self.expires_at <= now:
            return "expired"
        return "soon" if self.expires_at - now <= timedelta(days=WARN_DAYS) else "ok"

    def days_left(self, now: datetime) -> int | None:
        if self.expires_at is None:
            return None
        return (self.expires_at - now) // timedelta(days=1)

    def expiry_text(self, now: datetime) -> str:
        """``expires 2027-02-01 09:54 UTC (in 56 days)``, ``expired 2026-11-01 …``."""
        if self.expires_at is None:
            return "expiry unknown (Ozon's /v1/roles gave no expires_at)"
        when = self.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        state = self.state(now)
        if state == "expired":
            return f"expired {when}"
        days = round((self.expires_at - now) / timedelta(days=1))
        left = "less than a day" if days < 1 else f"{days} day{'s' if days != 1 else ''}"
        return f"expires {when} (in {left})"

    def as_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"checked_at": self.checked_at}
        if self.expires_at is not None:
            data["expires_at"] = self.expires_at
        if self.roles is not None:
            data["roles"] = [{"name": n, "methods": list(m)} for n, m in self.roles]
        return data

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> KeyInfo | None:
        checked, expires = data.get("checked_at"), data.get("expires_at")
        if not isinstance(checked, datetime) or not isinstance(expires, datetime | None):
            return None
        raw = data.get("roles")
        roles = None
        if isinstance(raw, list):
            roles = tuple(
                (str(r.get("name", "")), tuple(str(m) for m in r.get("methods", []) or []))
                for r in raw
                if isinstance(r, dict)
            )
        return cls(_aware(expires) if expires else None, roles, _aware(checked))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def cache_file(cache_dir: Path, client_id: str, api_key: str) -> Path:
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    safe_id = "".join(c for c in client_id if c.isalnum()) or "none"
    return cache_dir / "keys" / f"{safe_id}-{digest}.toml"


def read_cached(path: Path) -> KeyInfo | None:
    """The cached answer, whatever its age (None when absent or unreadable)."""
    from ozonctl.state.files import read_toml

    return KeyInfo.from_toml(read_toml(path)) if path.exists() else None


def fetch(client: OzonClient, path: Path, *, remember: bool = True) -> KeyInfo:
    """Ask Ozon (``/v1/roles``, read as ``KeyRoles`` like every answer) and remember the
    answer in ``path`` (when ``remember``)."""
    from ozonctl.state.files import write_toml

    answer = client.account.roles()
    roles = None
    if answer.roles is not None:
        roles = tuple((r.name or "", tuple(r.methods or ())) for r in answer.roles)
    info = KeyInfo(answer.expires_at, roles, now_utc())
    if not remember:
        return info
    with contextlib.suppress(OSError):  # a read-only cache only costs a call next time
        write_toml(path, info.as_toml(), mode=0o600)
    return info


def forget(path: Path) -> None:
    """Drop the cached answer (a write was refused: the key's roles changed at Ozon, so
    the next run asks ``/v1/roles`` again rather than trusting the day's cache)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def key_info(
    client: OzonClient, path: Path, *, refresh: bool = False, remember: bool = True
) -> KeyInfo:
    """The cached answer when younger than a day (and not ``refresh``), else Ozon's."""
    if not refresh:
        cached = read_cached(path)
        if cached is not None and timedelta(0) <= now_utc() - cached.checked_at < CACHE_FOR:
            return cached
    return fetch(client, path, remember=remember)


def refusal_reason(message: str) -> Literal["expired", "revoked"] | None:
    """What Ozon's refusal says happened to the key, when it says."""
    text = message.lower()
    if "expire" in text:
        return "expired"
    if any(word in text for word in ("revok", "deactivat", "blocked")):
        return "revoked"
    return None


def refused(exc: Exception, cached: KeyInfo | None, profile: str) -> AuthError | None:
    """An ``AuthError`` that says why Ozon refused the key (expired, revoked, or either),
    for a 401/403 of a call every key may make; None for any other failure."""
    from ozonctl.client.errors import AuthenticationError, PermissionDeniedError

    if not isinstance(exc, AuthenticationError | PermissionDeniedError):
        return None
    said = f"HTTP {exc.status}: {exc.message}"
    now = now_utc()
    expired = cached is not None and cached.state(now) == "expired"
    reason = "expired" if expired else refusal_reason(exc.message)
    if reason == "expired":
        when = f" ({cached.expiry_text(now)})" if cached is not None and expired else ""
        return AuthError(
            f"the API key of profile {profile!r} has expired{when}; Ozon refused it ({said})",
            hint=f"keys last 3 months: {NEW_KEY}",
        )
    if reason == "revoked":
        return AuthError(f"Ozon revoked the API key of profile {profile!r} ({said})", hint=NEW_KEY)
    return AuthError(
        f"Ozon refused the API key of profile {profile!r} ({said}): it is wrong, expired "
        "(keys last 3 months) or revoked",
        hint=f"check the Client-Id and key, or {NEW_KEY}",
    )


class WriteGuard:
    """Called by the client before its first write to each path: stops a write the key
    cannot make (expired, or no role lists the method) before anything is sent. The roles
    are read once per run (from the day's cache or Ozon); when Ozon will not say (an
    error other than a refusal), the write goes ahead and Ozon judges it."""

    def __init__(
        self,
        load: Callable[[], KeyInfo],
        profile: str,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self._load = load
        self._profile = profile
        self._log = log
        self._lock = threading.Lock()
        self._info: KeyInfo | None = None
        self._loaded = False
        self._failure: BaseException | None = None
        """Why the roles could not be read (a refused key, a lost connection): raised
        again by every write, also when the read ran ahead in ``prefetch``'s thread."""
        self._cleared: set[str] = set()

    def __call__(self, path: str) -> None:
        if path in self._cleared:
            return
        with self._lock:
            if path in self._cleared:
                return
            info = self._key_info()
            if info is not None:
                self._judge(info, path)
            self._cleared.add(path)

    def prefetch(self) -> Future[KeyInfo | None]:
        """Read the roles now, in a thread of its own: a command about to write calls it
        first, so the ``/v1/roles`` round trip overlaps its reads instead of standing
        between them and its first write. The first write waits for it; a failure is
        raised there, as if read then."""
        from ozonctl.concurrency import in_background

        return in_background(self._locked_info)

    def _locked_info(self) -> KeyInfo | None:
        with self._lock:
            return self._key_info()

    def _key_info(self) -> KeyInfo | None:
        from ozonctl.client.errors import APIError

        if not self._loaded:
            self._loaded = True
            try:
                self._info = self._load()
            except APIError as exc:
                refusal = refused(exc, None, self._profile)
                if refusal is not None:
                    self._failure = refusal
                elif self._log is not None:
                    self._log(f"roles: not checked before writing ({exc})")
            except Exception as exc:  # noqa: BLE001 - raised below, in the writer's thread
                self._failure = exc
        if self._failure is not None:
            raise self._failure
        return self._info

    def _judge(self, info: KeyInfo, path: str) -> None:
        now = now_utc()
        if info.state(now) == "expired":
            raise AuthError(
                f"the API key of profile {self._profile!r} {info.expiry_text(now)}; "
                "nothing was sent",
                hint=NEW_KEY,
            )
        if info.allows(path) is False:
            names = ", ".join(info.role_names) or "none"
            raise AuthError(
                f"the API key's roles ({names}) do not allow {path}; nothing was sent",
                hint="give the key a role with this method in Seller Center (Settings → "
                "Seller API), or log in with a key that has one (`ozonctl auth login`); "
                "roles are re-read after a day, or at once by `ozonctl auth status`",
            )
