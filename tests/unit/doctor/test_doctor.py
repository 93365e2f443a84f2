"""``ozonctl doctor``: every check, what it tells the user to fix, and its exit code."""

from __future__ import annotations

import email.utils
import os
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from ozonctl.commands import doctor as D
from ozonctl.settings import Paths, Settings
from ozonctl.state.lock import StateLock

BASE = "http://127.0.0.1:9"
SELLER = {"company": {"name": "Demo shop", "inn": "7700000000"}}


@pytest.fixture
def keys(ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Profile 'default' with keys in credentials.toml (0600) and a loopback base URL."""
    monkeypatch.setenv("OZON_API_URL", BASE)
    settings = Settings(Paths.from_env())
    settings.save_credentials("default", "123", "key-abc")
    return settings


def seller_info(date: float | None = None, status: int = 200) -> respx.Route:
    headers = {} if date is None else {"Date": email.utils.formatdate(date, usegmt=True)}
    body = SELLER if status == 200 else {"code": 16, "message": "unauthenticated"}
    expires = time.time() + 60 * 86400
    roles = {
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)),
        "roles": [{"name": "Admin", "methods": ["/v1/seller/info"]}],
    }
    respx.post(f"{BASE}/v1/roles").mock(
        return_value=httpx.Response(status, json=roles if status == 200 else body, headers=headers)
    )
    return respx.post(f"{BASE}/v1/seller/info").mock(
        return_value=httpx.Response(status, json=body, headers=headers)
    )


def checks(result: Any) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for c in result.json()["checks"]:
        out.setdefault(c["check"], []).append(c)
    return out


def statuses(result: Any) -> dict[str, list[str]]:
    return {k: [c["status"] for c in v] for k, v in checks(result).items()}


@respx.mock
def test_all_well_exit_0_with_exactly_one_read_call(cli: Any, keys: Settings) -> None:
    route = seller_info(time.time())
    r = cli("doctor", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    doc = r.json()
    assert doc["ok"] is True and doc["exit_code"] == 0
    assert statuses(r) == {
        "home": ["ok"],
        "config": ["ok"],
        "credentials": ["ok"],
        "profile": ["ok"],
        "keys": ["ok"],
        "key expiry": ["ok"],
        "clock": ["ok"],
        "lock": ["ok"],
        "journal": ["ok"],
    }
    assert "Demo shop" in checks(r)["keys"][0]["detail"]
    assert "credentials.toml" in checks(r)["keys"][0]["detail"]
    assert route.call_count == 1
    assert route.calls[0].request.headers["Client-Id"] == "123"


@respx.mock
def test_pipe_output_is_tsv_of_check_status_detail_fix(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    r = cli("doctor")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["home", "ok"]
    assert all(len(line.split("\t")) == 4 for line in lines)
    assert "all is well" in r.stderr


def test_missing_keys_exit_4_and_says_how_to_log_in(cli: Any) -> None:
    r = cli("doctor", "--json")
    assert r.exit_code == 4
    (keys_check,) = checks(r)["keys"]
    assert keys_check["status"] == "fail"
    assert "auth login" in keys_check["fix"] and "sandbox serve" in keys_check["fix"]
    assert "clock" not in checks(r)  # no call was made


@respx.mock
@pytest.mark.parametrize("status", [401, 403])
def test_refused_keys_exit_4(cli: Any, keys: Settings, status: int) -> None:
    route = seller_info(time.time(), status=status)
    r = cli("doctor", "--json")
    assert r.exit_code == 4
    (k,) = checks(r)["keys"]
    assert k["status"] == "fail" and f"HTTP {status}" in k["detail"]
    assert "auth login" in k["fix"]
    assert route.call_count == 1  # a refusal is not retried
    assert checks(r)["clock"][0]["status"] == "ok"  # the refusal still carried a Date


@respx.mock
def test_refused_env_keys_point_at_the_variables(
    cli: Any, keys: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "999")
    monkeypatch.setenv("OZON_API_KEY", "env-key")
    seller_info(time.time(), status=401)
    r = cli("doctor", "--json")
    assert r.exit_code == 4
    (k,) = checks(r)["keys"]
    assert "999 from the environment" in k["detail"]
    assert "OZON_CLIENT_ID" in k["fix"]


@respx.mock
def test_unreachable_server_exit_1(cli: Any, keys: Settings) -> None:
    respx.post(f"{BASE}/v1/seller/info").mock(side_effect=httpx.ConnectError("refused"))
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    (k,) = checks(r)["keys"]
    assert k["status"] == "fail" and "cannot connect" in k["detail"]
    assert BASE in k["fix"]
    assert checks(r)["clock"][0]["status"] == "skip"


def test_sandbox_profile_not_running_says_start_it(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OZON_API_URL", "http://127.0.0.1:9")  # nothing listens on port 9
    r = cli("--profile", "sandbox", "doctor", "--json")
    assert r.exit_code == 1
    (k,) = checks(r)["keys"]
    assert "built-in sandbox keys" in k["detail"]
    assert k["fix"] == "start the sandbox in another terminal: `ozonctl sandbox serve`"


def test_offline_makes_no_call(cli: Any, keys: Settings) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{BASE}/v1/seller/info")
        r = cli("doctor", "--offline", "--json")
    assert r.exit_code == 0
    assert route.call_count == 0
    assert checks(r)["keys"][0]["status"] == "skip"


@respx.mock
@pytest.mark.parametrize(("offset", "way"), [(-600, "ahead of"), (3 * 3600, "behind")])
def test_clock_skew_beyond_5_minutes_warns(
    cli: Any, keys: Settings, offset: float, way: str
) -> None:
    seller_info(time.time() + offset)
    r = cli("doctor", "--json")
    assert r.exit_code == 0  # a warning, nothing that stops ozonctl
    (c,) = checks(r)["clock"]
    assert c["status"] == "warn" and way in c["detail"]
    assert "set-ntp" in c["fix"]


def test_clock_check_boundaries() -> None:
    date = email.utils.formatdate(1_800_000_000, usegmt=True)
    assert D.check_clock(date, 1_800_000_000 + 299).status == "ok"
    assert D.check_clock(date, 1_800_000_000 + 301).status == "warn"
    assert "10 min ahead" in D.check_clock(date, 1_800_000_000 + 600).detail
    assert D.check_clock(None, 0).status == "skip"
    assert D.check_clock("not a date", 0).status == "skip"


@respx.mock
def test_credentials_readable_by_others_must_be_0600(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    path = keys.paths.credentials_file
    path.chmod(0o644)
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    (c,) = checks(r)["credentials"]
    assert c["status"] == "fail" and "mode 0644" in c["detail"] and "0600" in c["detail"]
    assert c["fix"] == f"chmod 600 {path}"
    assert D.exit_code([D.Check("credentials", "fail", "x")]) == 1


@respx.mock
def test_credentials_owned_by_someone_else(
    cli: Any, keys: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seller_info(time.time())
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 4242)
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    fails = [c for c in r.json()["checks"] if c["status"] == "fail"]
    assert {c["check"] for c in fails} == {"home", "credentials"}
    cred = next(c for c in fails if c["check"] == "credentials")
    assert f"owned by uid {real}, not by you (uid {real + 4242})" in cred["detail"]
    assert cred["fix"].startswith(f"chown {real + 4242} ")


@respx.mock
def test_config_writable_by_others_fails(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    keys.set_profile_value("default", "rps", "10")
    keys.paths.config_file.chmod(0o666)
    keys.paths.config_dir.chmod(0o777)
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    assert statuses(r)["config"] == ["fail"] and statuses(r)["home"] == ["ok", "fail"]
    assert checks(r)["config"][0]["fix"].startswith("chmod 644 ")


@pytest.mark.parametrize("which", ["config", "credentials"])
def test_a_file_that_does_not_parse_is_reported_and_left_in_place(
    cli: Any, keys: Settings, which: str
) -> None:
    path = keys.paths.config_file if which == "config" else keys.paths.credentials_file
    path.write_text("[profiles\nbroken = ")
    path.chmod(0o600)
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    (c,) = checks(r)[which]
    assert c["status"] == "fail" and "does not parse" in c["detail"]
    assert "never moves" in c["fix"]
    assert checks(r)["profile"][0]["status"] == "skip"
    assert path.read_text() == "[profiles\nbroken = "  # doctor reads only
    assert not list(path.parent.glob("*.corrupt-*"))


@respx.mock
def test_a_bad_setting_in_config_is_a_profile_failure(cli: Any, keys: Settings) -> None:
    keys.paths.config_file.write_text('[profiles.default]\nrps = "fast"\n')
    r = cli("doctor", "--json")
    assert r.exit_code == 1
    (p,) = checks(r)["profile"]
    assert p["status"] == "fail" and "rps" in p["detail"]
    assert "config set rps" in p["fix"]


@respx.mock
def test_lock_held_by_another_run_is_named(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    paths = keys.paths
    op = _journal(paths, "listing", "delist-stale", "running")
    with StateLock(paths.lock_file("default", "123"), purpose="listing delist-stale"):
        r = cli("doctor", "--json")
    assert r.exit_code == 0
    (lock,) = checks(r)["lock"]
    assert lock["status"] == "warn"
    assert f"pid={os.getpid()}" in lock["detail"] and "listing delist-stale" in lock["detail"]
    # the running journal belongs to the run that holds the lock: not an interrupted one
    assert checks(r)["journal"][0]["status"] == "ok", op


def test_lock_probe_never_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    assert D.lock_holder(path) == (False, "")
    assert not path.exists()


@respx.mock
def test_lock_left_by_a_killed_run_and_its_interrupted_journal(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    paths = keys.paths
    lock = paths.lock_file("default", "123")
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("pid=4242 since=2026-11-27T03:00:00 listing delist-stale\n")
    ref = _journal(paths, "listing", "delist-stale", "running")
    _journal(paths, "promo", "leave", "done")
    unknown = _journal(paths, "order", "cancel", "unknown")
    r = cli("doctor", "--json")
    assert r.exit_code == 0
    (lk,) = checks(r)["lock"]
    assert lk["status"] == "warn" and "did not release it cleanly" in lk["detail"]
    journals = checks(r)["journal"]
    assert len(journals) == 2  # the finished promo leave is not listed
    running = next(j for j in journals if ref in j["detail"])
    assert "did not finish (status running)" in running["detail"]
    assert "rerun `ozonctl listing delist-stale`" in running["fix"]
    outcome = next(j for j in journals if unknown in j["detail"])
    assert "outcome is unknown" in outcome["detail"]
    assert "before retrying" in outcome["fix"]


@respx.mock
def test_unreadable_journal_and_moved_aside_files_are_listed(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    paths = keys.paths
    ref = _journal(paths, "promo", "leave", "done")
    op_file = paths.profile_state("default") / "journal" / "promo" / ref / "op.toml"
    op_file.write_text("status = ")
    aside = paths.config_dir / "config.toml.corrupt-20261127T030000"
    aside.write_text("junk")
    index = paths.profile_cache("default") / "catalog" / "index.toml.corrupt-20261127T030000"
    index.parent.mkdir(parents=True)
    index.write_text("junk")
    r = cli("doctor", "--json")
    assert r.exit_code == 0
    (j,) = checks(r)["journal"]
    assert j["status"] == "warn" and "does not parse" in j["detail"]
    moved = checks(r)["moved aside"]
    assert {m["detail"].split(" could not")[0] for m in moved} == {str(aside), str(index)}
    assert op_file.exists()


@respx.mock
def test_many_unfinished_journals_are_summarised(cli: Any, keys: Settings) -> None:
    seller_info(time.time())
    for _ in range(D.MAX_LISTED + 3):
        _journal(keys.paths, "promo", "leave", "running")
    _journal(keys.paths, "listing", "delist-stale", "interrupted")  # settled by a later run
    r = cli("doctor", "--json")
    journals = checks(r)["journal"]
    assert len(journals) == D.MAX_LISTED + 1
    assert journals[-1]["detail"] == "… and 3 more unfinished journals"


def _journal(paths: Paths, area: str, kind: str, status: str) -> str:
    from ozonctl.state.journal import Journal

    op = Journal(paths.profile_state("default"), area).new(kind)
    op.update(status=status)
    return op.ref


class _Tty:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_terminal_output_marks_each_check_and_prints_the_fix_under_it() -> None:
    from ozonctl.cli.output import Output

    out_tty, err_tty = _Tty(), _Tty()
    out = Output(no_color=True, stdout=out_tty, stderr=err_tty)  # type: ignore[arg-type]
    checks = [
        D.Check("config", "ok", "config.toml: mode 0644, parses"),
        D.Check("credentials", "fail", "mode 0644", "chmod 600 credentials.toml"),
        D.Check("clock", "warn", "10 min ahead", "turn on time sync"),
    ]
    D.render(out, checks, D.exit_code(checks))
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out_tty.text).splitlines()
    assert lines[0].startswith("✓ config ")
    assert lines[1].startswith("✗ credentials  mode 0644")
    assert lines[2].strip() == "fix: chmod 600 credentials.toml"
    assert lines[3].startswith("! clock ")
    assert "1 thing to fix" in err_tty.text
