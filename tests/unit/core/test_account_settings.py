"""The seller's own files (config, credentials, thresholds), profiles, the lock, masking,
and the key's expiry and roles: what a seller sees when something is off."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from ozonctl.errors import LockHeldError, OzonctlError
from ozonctl.settings import Paths, Settings
from ozonctl.state.lock import StateLock

BASE = "http://127.0.0.1:9"


def settings(home: Path) -> Settings:
    return Settings(Paths.from_env({"OZONCTL_HOME": str(home)}), env={})


# -- 16.11: a profile named nowhere ---------------------------------------------------------


def test_an_unknown_profile_is_a_usage_error_naming_the_known_ones(
    cli: Any, ozonctl_home: Path
) -> None:
    settings(ozonctl_home).save_credentials("shop1", "123", "key-1")
    r = cli("--profile", "shop2", "listing", "list")
    assert r.exit_code == 2
    assert r.stderr.startswith("error: no profile 'shop2' — known: sandbox, shop1")
    assert cli("--profile", "shop2", "auth", "status").exit_code == 2


def test_login_and_config_set_may_create_a_profile(cli: Any, ozonctl_home: Path) -> None:
    assert cli("--profile", "new", "config", "set", "timeout", "20").exit_code == 0
    r = cli("--profile", "new2", "auth", "login", "--client-id", "5", "--with-key", "--no-verify",
            input="abcdef-123\n")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert cli("--profile", "new2", "config", "show").exit_code == 0


def test_the_implicit_default_profile_with_environment_keys_still_works(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    assert cli("config", "show").exit_code == 0


# -- 16.9: the seller's files are never moved aside ---------------------------------------


@pytest.mark.parametrize("name", ["config.toml", "credentials.toml"])
def test_a_syntax_error_names_file_and_line_and_leaves_the_file(
    cli: Any, ozonctl_home: Path, name: str
) -> None:
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    text = '[profiles.shop1]\ntimeout = 10\nrps = "5\n'
    (ozonctl_home / name).write_text(text)
    r = cli("--profile", "shop1", "config", "show")
    assert r.exit_code == 2
    assert f"{name}: line 3" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (ozonctl_home / name).read_text() == text
    assert sorted(p.name for p in ozonctl_home.iterdir()) == [name]


def test_stock_thresholds_with_a_syntax_error_stop_and_stay(
    cli: Any, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    monkeypatch.setenv("OZON_API_URL", BASE)
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    file = ozonctl_home / "stock-thresholds.toml"
    file.write_text("default = 5\n[products\n")
    with respx.mock(assert_all_called=False) as router:
        router.route().mock(return_value=httpx.Response(404, json={"code": 5, "message": "x"}))
        r = cli("listing", "stock", "low")
    assert r.exit_code == 2, r.stderr
    assert "stock-thresholds.toml: line 2" in r.stderr
    assert file.read_text() == "default = 5\n[products\n"
    assert not list(ozonctl_home.glob("*.corrupt-*"))


def test_ozonctls_own_cache_may_still_be_moved_aside(tmp_path: Path) -> None:
    from ozonctl.state.files import read_toml

    broken = tmp_path / "cache.toml"
    broken.write_text("[[[")
    assert read_toml(broken, warn=lambda m: None) == {}
    assert not broken.exists() and list(tmp_path.glob("cache.toml.corrupt-*"))


# -- 23.12: bad types and values -----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'timeout = "abc"',
        "timeout = -1",
        "timeout = nan",
        "rps = inf",
        "max_retries = 2.5",
        "max_retries = true",
        "concurrency = 0",
        "cancel_threshold = 101",
        "per_minute = 5",
        'per_minute = {"/v2/products/stocks" = "many"}',
        "base_url = 5",
    ],
)
def test_bad_types_in_config_give_one_line_and_exit_2(
    cli: Any, ozonctl_home: Path, line: str
) -> None:
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    (ozonctl_home / "config.toml").write_text(f"[profiles.shop1]\n{line}\n")
    r = cli("--profile", "shop1", "config", "show")
    assert r.exit_code == 2, r.stderr
    assert "internal error" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "config.toml: profiles.shop1" in r.stderr


@pytest.mark.parametrize("text", ["profiles = 3", "default_profile = 5", "[profiles]\nshop1 = 2"])
def test_a_config_of_the_wrong_shape_gives_one_line(
    cli: Any, ozonctl_home: Path, text: str
) -> None:
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    (ozonctl_home / "config.toml").write_text(text + "\n")
    r = cli("config", "show")
    assert r.exit_code == 2 and "internal error" not in r.stderr, r.stderr


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("timeout", "-5"),
        ("timeout", "nan"),
        ("timeout", "0"),
        ("rps", "-1"),
        ("rps", "inf"),
        ("max_retries", "-1"),
        ("max_retries", "1e9"),
        ("concurrency", "0"),
        ("cancel_threshold", "150"),
        ("burst", "nan"),
        ("per_minute./v2/products/stocks", "-3"),
        ("per_minute./v2/products/stocks", "١٢"),
    ],
)
def test_config_set_refuses_what_would_break_later_commands(
    cli: Any, ozonctl_home: Path, key: str, value: str
) -> None:
    r = cli("config", "set", "--", key, value)  # "--": "-5" is a value, not an option
    assert r.exit_code == 2, r.stderr
    assert f"{key} = " in r.stderr and "must be" in r.stderr
    assert not (ozonctl_home / "config.toml").exists()


def test_config_set_accepts_the_edges(cli: Any) -> None:
    for key, value in [("rps", "0"), ("max_retries", "0"), ("cancel_threshold", "0"),
                       ("timeout", "0.5"), ("concurrency", "64")]:  # fmt: skip
        assert cli("config", "set", key, value).exit_code == 0, (key, value)


@pytest.mark.parametrize("key", ["ключ-123456", "abc\x00def", "abc\tdef"])
def test_a_non_ascii_key_at_login_is_refused_in_one_line(cli: Any, key: str) -> None:
    r = cli("auth", "login", "--client-id", "123", "--with-key", input=key + "\n")
    assert r.exit_code == 2 and "not printable ASCII" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_non_ascii_client_id_is_refused(cli: Any) -> None:
    r = cli("auth", "login", "--client-id", "١٢٣", "--with-key", input="key-123\n")
    assert r.exit_code == 2 and "must be a number" in r.stderr


# -- 23.13: special files in place of credentials or config ---------------------------------


@pytest.mark.parametrize("name", ["credentials.toml", "config.toml"])
def test_dev_zero_as_a_settings_file_is_refused(cli: Any, ozonctl_home: Path, name: str) -> None:
    ozonctl_home.mkdir(parents=True, exist_ok=True)
    (ozonctl_home / name).symlink_to("/dev/zero")
    r = cli("config", "show")
    assert r.exit_code == 2 and "not a regular file" in r.stderr


@pytest.mark.parametrize("name", ["credentials.toml", "config.toml"])
def test_a_fifo_as_a_settings_file_is_refused_without_hanging(
    cli: Any, ozonctl_home: Path, name: str
) -> None:
    import signal

    ozonctl_home.mkdir(parents=True, exist_ok=True)
    os.mkfifo(ozonctl_home / name)

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("reading a FIFO as settings hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        r = cli("config", "show")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert r.exit_code == 2 and "not a regular file" in r.stderr


# -- 23.15: secrets in what is displayed -------------------------------------------------------


def test_status_and_show_mask_the_key_and_a_base_urls_password(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "SECRET-KEY-1234567")
    monkeypatch.setenv("OZON_API_URL", "http://user:hunter2@127.0.0.1:9/base")
    for args in (["config", "show"], ["auth", "status", "--offline"], ["config", "profiles"],
                 ["config", "get", "base_url"]):  # fmt: skip
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)
        assert "hunter2" not in r.stdout + r.stderr and "SECRET-KEY-1234567" not in r.stdout
    shown = cli("config", "show", "--json").json()
    assert shown["base_url"] == "http://user:***@127.0.0.1:9/base"


# -- 23.16 and 23.8: the lock ---------------------------------------------------------------


def test_the_lock_never_follows_a_symlink_nor_truncates_its_target(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("the seller's data\n")
    lock = tmp_path / "state.lock"
    lock.symlink_to(target)
    with pytest.raises(OzonctlError, match="symlink"):
        StateLock(lock).acquire()
    assert target.read_text() == "the seller's data\n"


def test_the_lock_refuses_a_hard_link(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("the seller's data\n")
    lock = tmp_path / "state.lock"
    os.link(target, lock)
    with pytest.raises(OzonctlError, match="hard link"):
        StateLock(lock).acquire()
    assert target.read_text() == "the seller's data\n"


def test_profiles_sharing_a_client_id_share_one_lock(cli: Any, ozonctl_home: Path) -> None:
    s = settings(ozonctl_home)
    s.save_credentials("shop1", "123", "key-1")
    s.save_credentials("shop1-copy", "123", "key-2")
    s.save_credentials("other", "456", "key-3")
    paths = s.paths
    one, two, other = (paths.lock_file(n, s.resolve(n).client_id) for n in
                       ("shop1", "shop1-copy", "other"))  # fmt: skip
    assert one == two != other
    from ozonctl.cli.context import AppContext

    with StateLock(one), pytest.raises(LockHeldError):
        AppContext(profile_name="shop1-copy").lock("test").acquire()
    assert AppContext(profile_name="shop1").lock_path() == one


# -- 16.14: the key's expiry and roles (unit) ------------------------------------------------


def info(days: float | None, methods: list[str] | None = None) -> Any:
    from ozonctl.keys import KeyInfo

    now = datetime.now(UTC)
    expires = None if days is None else now + timedelta(days=days)
    roles = None if methods is None else (("Role", tuple(methods)),)
    return KeyInfo(expires, roles, now)


def test_expiry_states_and_the_two_weeks_warning() -> None:
    now = datetime.now(UTC)
    assert info(60).state(now) == "ok"
    assert info(13.9).state(now) == "soon" and info(1).state(now) == "soon"
    assert info(14.1).state(now) == "ok"
    assert info(-0.01).state(now) == "expired"
    assert info(None).state(now) == "unknown"
    assert "(in 60 days)" in info(60).expiry_text(now)


def test_roles_allow_exact_methods_and_prefixes_at_a_slash() -> None:
    key = info(60, ["/v1/product/archive", "/v1/posting"])
    assert key.allows("/v1/product/archive") is True
    assert key.allows("/v1/posting/fbs/cancel-reason") is True
    assert key.allows("/v1/postings") is False
    assert key.allows("/v2/products/stocks") is False
    assert info(60).allows("/v2/products/stocks") is None


@respx.mock
def test_roles_are_cached_a_day_as_toml_and_asked_again_after(
    cli: Any, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "key-1")
    roles = respx.post(f"{BASE}/v1/roles").mock(
        return_value=httpx.Response(
            200,
            json={"expires_at": "2099-01-01T00:00:00Z", "roles": [{"name": "R", "methods": []}]},
        )
    )
    archive = respx.post(f"{BASE}/v1/product/archive").mock(
        return_value=httpx.Response(200, json={"result": True})
    )
    for _ in range(2):
        r = cli(
            "--yes",
            "--base-url",
            BASE,
            "api",
            "/v1/product/archive",
            "--data",
            '{"product_id": [1]}',
        )
        assert r.exit_code == 4 and "nothing was sent" in r.stderr
    assert roles.call_count == 1 and archive.call_count == 0
    from ozonctl.keys import read_cached

    (cached,) = (ozonctl_home / "cache" / "keys").glob("*.toml")
    old = read_cached(cached)
    assert old is not None and old.expires_at == datetime(2099, 1, 1, tzinfo=UTC)
    text = cached.read_text().replace(str(old.checked_at.year), str(old.checked_at.year - 1), 1)
    cached.write_text(text)
    cli("--yes", "--base-url", BASE, "api", "/v1/product/archive", "--data", '{"product_id": [1]}')
    assert roles.call_count == 2 and archive.call_count == 0


@respx.mock
def test_the_roles_are_read_through_the_typed_model_as_ozons_example_says(tmp_path: Path) -> None:
    from ozonctl.client.client import OzonClient
    from ozonctl.keys import fetch

    example = {  # the example of /v1/roles in Ozon's document
        "expires_at": "2026-02-18T09:54:23.296Z",
        "roles": [
            {"name": "Admin", "methods": ["/v1/actions"]},
            {"name": "Posting FBS", "methods": ["/v1/posting"]},
        ],
    }
    respx.post(f"{BASE}/v1/roles").mock(return_value=httpx.Response(200, json=example))
    with OzonClient(client_id="1", api_key="k", base_url=BASE) as client:
        typed = client.account.roles()
        lean = fetch(client, tmp_path / "key.toml")
    assert typed.expires_at == lean.expires_at == datetime(2026, 2, 18, 9, 54, 23, 296000, UTC)
    assert [(r.name, tuple(r.methods or ())) for r in typed.roles or []] == list(lean.roles or ())
    assert lean.allows("/v1/posting/fbs/ship") is True
    assert read_back(tmp_path / "key.toml") == lean


def read_back(path: Path) -> Any:
    from ozonctl.keys import read_cached

    return read_cached(path)


@respx.mock
def test_the_roles_check_reads_one_model_family_the_typed_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17.2: ``/v1/roles`` is read through ``KeyRoles`` (``client.account.roles``),
    not a hand parser beside it."""
    from ozonctl.client.client import OzonClient
    from ozonctl.client.resources.account import AccountResource
    from ozonctl.keys import fetch

    typed = AccountResource.roles
    calls: list[object] = []

    def spy(self: AccountResource) -> Any:
        calls.append(self)
        return typed(self)

    monkeypatch.setattr(AccountResource, "roles", spy)
    answer = {"expires_at": "2099-01-01T00:00:00Z", "roles": [{"name": None, "methods": None}]}
    respx.post(f"{BASE}/v1/roles").mock(return_value=httpx.Response(200, json=answer))
    with OzonClient(client_id="1", api_key="k", base_url=BASE) as client:
        info = fetch(client, tmp_path / "key.toml")
    assert len(calls) == 1
    assert info.roles == (("", ()),) and info.allows("/v1/product/archive") is False
    assert info.expires_at == datetime(2099, 1, 1, tzinfo=UTC)
