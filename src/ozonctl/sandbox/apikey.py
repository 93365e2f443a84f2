"""The sandbox's API key as Ozon's ``/v1/roles`` describes it: when it expires and what
its roles allow.

Ozon's keys last 3 months since 2026-09 and Ozon may revoke one early. The sandbox's key
expires ``LIFETIME_DAYS`` after the sandbox starts, by the real clock (clients compare the
date with theirs, whatever day the shop is pinned to); ``sandbox serve
--key-expires-in DAYS`` or ``POST /__sandbox/key`` set another expiry, roles or a
revocation. An expired or revoked key is refused on every method, ``/v1/roles`` included
(HTTP 401, Ozon's ``UNAUTHENTICATED``; Ozon does not document its wording); a method no
role lists is refused with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import PERMISSION_DENIED, UNAUTHENTICATED, ApiError

LIFETIME_DAYS = 90.0
EXPIRED_MESSAGE = "Api-Key has expired; generate a new key in the seller account"
REVOKED_MESSAGE = "Api-Key is deactivated"
NO_ROLE_MESSAGE = "Api-Key has no role that allows this method"


@dataclass
class ApiKey:
    expires_at: datetime
    roles: list[tuple[str, list[str]]] | None = None
    """(name, methods); None: one ``Admin`` role with every method the sandbox serves."""
    revoked: bool = False

    @classmethod
    def fresh(cls, days: float = LIFETIME_DAYS) -> ApiKey:
        now = datetime.now(UTC).replace(microsecond=0)
        return cls(now + timedelta(days=days))

    def admit(self, path: str) -> None:
        """Raise Ozon's refusal when the key may not call ``path`` now."""
        if self.revoked:
            raise ApiError(401, UNAUTHENTICATED, REVOKED_MESSAGE)
        if self.expires_at <= datetime.now(UTC):
            raise ApiError(401, UNAUTHENTICATED, EXPIRED_MESSAGE)
        if self.roles is not None and path != "/v1/roles" and not self.allows(path):
            raise ApiError(403, PERMISSION_DENIED, NO_ROLE_MESSAGE)

    def allows(self, path: str) -> bool:
        return any(
            path == m.rstrip("/") or path.startswith(m.rstrip("/") + "/")
            for _name, methods in self.roles or ()
            for m in methods
            if m.strip("/")
        )

    def configure(self, payload: dict[str, Any]) -> None:
        """``/__sandbox/key``: ``expires_in_days`` (may be negative), ``expires_at``
        (RFC 3339), ``roles`` (``[{name, methods}]``, null for all), ``revoked``."""
        if "expires_in_days" in payload:
            days = float(payload["expires_in_days"])
            self.expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
        if "expires_at" in payload:
            moment = datetime.fromisoformat(str(payload["expires_at"]).replace("Z", "+00:00"))
            self.expires_at = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if "roles" in payload:
            raw = payload["roles"]
            self.roles = (
                None
                if raw is None
                else [(str(r["name"]), [str(m) for m in r["methods"]]) for r in raw]
            )
        if "revoked" in payload:
            self.revoked = bool(payload["revoked"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "expires_at": self.expires_at.isoformat().replace("+00:00", "Z"),
            "roles": None
            if self.roles is None
            else [{"name": n, "methods": m} for n, m in self.roles],
            "revoked": self.revoked,
        }
