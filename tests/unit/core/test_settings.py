"""Profiles, credentials and where files live."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozonctl.errors import AuthError, UsageError
from ozonctl.settings import Paths, Settings
from ozonctl.state.files import file_mode


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings(Paths.from_env({"OZONCTL_HOME": str(tmp_path)}), env=env)


def test_ozonctl_home_holds_everything(tmp_path: Path) -> None:
    p = Paths.from_env({"OZONCTL_HOME": str(tmp_path)})
    assert p.config_file == tmp_path / "config.toml"
    assert p.credentials_file == tmp_path / "credentials.toml"
    assert p.profile_state("shop").is_relative_to(tmp_path)
    assert p.profile_cache("shop").is_relative_to(tmp_path)


def test_without_home_platformdirs_are_used() -> None:
    p = Paths.from_env({})
    assert "ozonctl" in str(p.config_dir) and "ozonctl" in str(p.state_dir)


def test_credentials_are_stored_0600_and_resolved(tmp_path: Path) -> None:
    s = settings(tmp_path)
    s.save_credentials("shop", "123", "secret-key")
    assert file_mode(s.paths.credentials_file) == 0o600
    p = s.resolve("shop")
    assert (p.client_id, p.api_key, p.credential_source) == ("123", "secret-key", "file")
    assert s.remove_credentials("shop") is True
    assert s.resolve("shop").api_key is None
    assert s.remove_credentials("shop") is False


def test_environment_credentials_win(tmp_path: Path) -> None:
    s = settings(tmp_path, OZON_CLIENT_ID="999", OZON_API_KEY="env-key")
    s.save_credentials("default", "123", "file-key")
    p = s.resolve(None)
    assert (p.client_id, p.api_key, p.credential_source) == ("999", "env-key", "env")


def test_profile_precedence(tmp_path: Path) -> None:
    s = settings(tmp_path, OZONCTL_PROFILE="fromenv")
    assert s.resolve(None).name == "fromenv"
    assert s.resolve("explicit").name == "explicit"
    s2 = settings(tmp_path)
    s2.set_profile_value("x", "default_profile", "main")
    assert settings(tmp_path).resolve(None).name == "main"


def test_base_url_override_and_refusal(tmp_path: Path) -> None:
    s = settings(tmp_path, OZON_API_URL="http://127.0.0.1:9000/")
    assert s.resolve(None).base_url == "http://127.0.0.1:9000"
    assert s.resolve(None, base_url="https://example.test").base_url == "https://example.test"
    with pytest.raises(UsageError, match="clear text"):
        s.resolve(None, base_url="http://api-seller.ozon.ru")


def test_builtin_sandbox_profile_needs_no_setup(tmp_path: Path) -> None:
    p = settings(tmp_path).resolve("sandbox")
    assert p.base_url == "http://127.0.0.1:8642"
    assert p.require_credentials() == ("sandbox", "sandbox-key")
    assert "sandbox" in settings(tmp_path).profile_names()


def test_missing_credentials_is_an_auth_error(tmp_path: Path) -> None:
    with pytest.raises(AuthError) as info:
        settings(tmp_path).resolve("shop").require_credentials()
    assert info.value.exit_code == 4


def test_profile_settings_are_typed_and_validated(tmp_path: Path) -> None:
    s = settings(tmp_path)
    assert s.set_profile_value("shop", "rps", "20") == 20.0
    assert s.set_profile_value("shop", "per_minute./v2/products/stocks", "60") == 60
    p = settings(tmp_path).resolve("shop")
    assert p.rps == 20.0 and p.per_minute == {"/v2/products/stocks": 60}
    with pytest.raises(UsageError):
        s.set_profile_value("shop", "rps", "fast")
    with pytest.raises(UsageError):
        s.set_profile_value("shop", "colour", "red")
    with pytest.raises(UsageError):
        s.set_profile_value("shop", "base_url", "http://ozon.ru")
    assert s.set_profile_value("shop", "rps", "0") == 0.0
    assert settings(tmp_path).resolve("shop").rps is None


@pytest.mark.parametrize("name", ["../etc", "", "a b", ".hidden"])
def test_bad_profile_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError):
        settings(tmp_path).resolve(name)


def test_a_corrupt_config_stops_and_stays_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[[[")
    with pytest.raises(UsageError, match=r"config.toml: line 1, column 3"):
        settings(tmp_path).resolve(None)
    assert (tmp_path / "config.toml").read_text() == "[[["
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_cost_file_is_kept_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``config set cost_file costs.csv`` names the file where it was set, so a cron job
    started elsewhere reads the same file."""
    s = settings(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert s.set_profile_value("shop", "cost_file", "costs.csv") == str(tmp_path / "costs.csv")
    assert s.resolve("shop").cost_file == str(tmp_path / "costs.csv")
    home = str(Path("~/c.toml").expanduser())
    assert s.set_profile_value("shop", "cost_file", "~/c.toml") == home
