"""API keys that expire (3 months, Ozon's ``/v1/roles``) and roles that lack a method,
against the real sandbox process: what ``auth``, ``doctor`` and a bulk write do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def login(ozonctl: Any, sandbox: Any) -> Any:
    return ozonctl(
        "--profile",
        "shop1",
        "auth",
        "login",
        "--client-id",
        "123",
        "--with-key",
        input=sandbox.api_key + "\n",
        env={"OZON_CLIENT_ID": "", "OZON_API_KEY": ""},
    )


@pytest.mark.sandbox_args("--client-id", "123", "--key-expires-in", "5")
def test_login_status_and_doctor_show_the_expiry_and_warn_two_weeks_ahead(
    ozonctl: Any, sandbox: Any
) -> None:
    r = login(ozonctl, sandbox)
    assert r.exit_code == 0, r.stderr
    assert "expires" in r.stderr and "(in 5 days)" in r.stderr
    assert "warning:" in r.stderr and "auth login" in r.stderr
    status = ozonctl("--profile", "shop1", "auth", "status", "--json")
    assert status.exit_code == 0, status.stderr
    data = status.json()
    assert data["expiry"] == "soon" and data["expires_in_days"] == 4
    assert data["roles"] == ["Admin"]
    assert sandbox.get("/__sandbox/key")["expires_at"][:16] == data["expires_at"][:16]
    assert "warning:" in status.stderr
    doctor = ozonctl("--profile", "shop1", "doctor", "--json")
    checks = {c["check"]: c for c in doctor.json()["checks"]}
    assert checks["key expiry"]["status"] == "warn", checks
    assert doctor.exit_code == 0


@pytest.mark.sandbox_args("--client-id", "123")
def test_a_key_far_from_expiry_gives_no_warning(ozonctl: Any, sandbox: Any) -> None:
    assert login(ozonctl, sandbox).exit_code == 0
    status = ozonctl("--profile", "shop1", "auth", "status")
    assert status.exit_code == 0
    assert "(in 90 days)" in status.stdout and "warning" not in status.stderr


@pytest.mark.sandbox_args("--client-id", "123", "--key-expires-in", "-1")
def test_an_expired_key_is_refused_and_said_to_be_expired(
    ozonctl: Any, sandbox: Any, ozonctl_home: Path
) -> None:
    r = login(ozonctl, sandbox)
    assert r.exit_code == 4
    assert "expired" in r.stderr and "auth login" in r.stderr
    assert not (ozonctl_home / "credentials.toml").exists()
    status = ozonctl("auth", "status")  # the environment's keys, refused
    assert status.exit_code == 4 and "has expired" in status.stderr
    listing = ozonctl("listing", "list", "--limit", "1")
    assert listing.exit_code == 4 and "expired" in listing.stderr
    doctor = ozonctl("doctor")
    assert doctor.exit_code == 4 and "expired" in doctor.stdout + doctor.stderr


@pytest.mark.sandbox_args("--client-id", "123")
def test_a_revoked_key_is_said_to_be_revoked(ozonctl: Any, sandbox: Any) -> None:
    sandbox.post("/__sandbox/key", {"revoked": True})
    status = ozonctl("auth", "status")
    assert status.exit_code == 4 and "revoked" in status.stderr


def test_a_write_the_key_has_no_role_for_stops_before_anything_is_sent(
    ozonctl: Any, sandbox: Any
) -> None:
    from ozonctl.client.endpoints import ENDPOINTS

    reads = sorted({e.path for e in ENDPOINTS.values() if not e.is_write})
    sandbox.post("/__sandbox/key", {"roles": [{"name": "Product read", "methods": reads}]})
    listed = ozonctl("listing", "list", "--limit", "2", "--json")
    assert listed.exit_code == 0, listed.stderr
    offer = listed.json()[0]["offer_id"]
    r = ozonctl("listing", "archive", offer, "--yes")
    assert r.exit_code == 4, r.stderr
    assert "do not allow /v1/product/archive" in r.stderr and "nothing was sent" in r.stderr
    assert sandbox.requests("/v1/product/archive") == []
    assert sandbox.get(f"/__sandbox/state/product/{offer}")["archived"] is False
    # the roles were read once and are kept for the day, as TOML in the cache folder
    again = ozonctl("listing", "archive", offer, "--yes")
    assert again.exit_code == 4
    assert len(sandbox.requests("/v1/roles")) == 1
    assert sandbox.requests("/v1/product/archive") == []


def test_a_write_the_key_has_a_role_for_goes_ahead(
    ozonctl: Any, sandbox: Any, ozonctl_home: Path
) -> None:
    listed = ozonctl("listing", "list", "--limit", "1", "--json")
    offer = listed.json()[0]["offer_id"]
    r = ozonctl("listing", "archive", offer, "--yes")
    assert r.exit_code == 0, r.stderr
    assert len(sandbox.requests("/v1/product/archive")) == 1
    cached = list((ozonctl_home / "cache" / "keys").glob("*.toml"))
    assert len(cached) == 1 and "/v1/product/archive" in cached[0].read_text()
    assert cached[0].stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("command", "write"),
    [
        (["listing", "archive", "{offer}", "--yes"], "/v1/product/archive"),
        (["listing", "archive", "{offer}", "--zero-stock", "--yes"], "/v2/products/stocks"),
        (
            ["listing", "stock", "set", "{offer}", "5", "-w", "1020000901234000", "--yes"],
            "/v2/products/stocks",
        ),
    ],
)
def test_a_refused_bulk_write_leaves_no_unfinished_journal(
    ozonctl: Any, sandbox: Any, command: list[str], write: str
) -> None:
    from ozonctl.client.endpoints import ENDPOINTS

    allowed = sorted(
        {e.path for e in ENDPOINTS.values() if not e.is_write} | {"/v1/product/archive"}
    )
    allowed = [p for p in allowed if p != write]
    sandbox.post("/__sandbox/key", {"roles": [{"name": "Some", "methods": allowed}]})
    offer = ozonctl("listing", "list", "--limit", "1", "--json").json()[0]["offer_id"]
    r = ozonctl(*[part.format(offer=offer) for part in command])
    assert r.exit_code == 4, r.stderr
    assert f"do not allow {write}" in r.stderr and "nothing was sent" in r.stderr
    assert sandbox.requests(write) == [] and sandbox.requests("/v1/product/archive") == []
    doctor = ozonctl("doctor", "--json")
    checks = [c for c in doctor.json()["checks"] if c["check"] == "journal"]
    assert checks and all(c["status"] == "ok" for c in checks), checks
    assert "no unfinished operations" in checks[0]["detail"]


def test_a_write_refused_by_ozon_forgets_the_cached_roles(
    ozonctl: Any, sandbox: Any, ozonctl_home: Path
) -> None:
    from ozonctl.client.endpoints import ENDPOINTS

    offer = ozonctl("listing", "list", "--limit", "1", "--json").json()[0]["offer_id"]
    assert ozonctl("listing", "unarchive", offer, "--yes").exit_code == 0  # roles cached
    assert len(sandbox.requests("/v1/roles")) == 1
    # the key's roles change at Ozon; the day's cache still says archive is allowed
    reads = sorted({e.path for e in ENDPOINTS.values() if not e.is_write})
    sandbox.post("/__sandbox/key", {"roles": [{"name": "Product read", "methods": reads}]})
    refused = ozonctl("listing", "archive", offer, "--yes")
    assert refused.exit_code in (3, 4), refused.stderr
    assert len(sandbox.requests("/v1/product/archive")) == 1  # sent, Ozon said 403
    assert list((ozonctl_home / "cache" / "keys").glob("*.toml")) == []
    # the next run asks Ozon for the roles again and stops before sending
    again = ozonctl("listing", "archive", offer, "--yes")
    assert again.exit_code == 4
    assert "do not allow /v1/product/archive" in again.stderr
    assert len(sandbox.requests("/v1/roles")) == 2
    assert len(sandbox.requests("/v1/product/archive")) == 1
