"""The CLI core: entry points, start-up imports, exit codes, global options, auth, api,
redaction of secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from ozonctl._entry import hoist_global_options
from ozonctl.state.files import file_mode

BASE = "http://127.0.0.1:9"
CANARY = "CANARY-9f3a1c-SECRET"
SELLER = {"company": {"name": "Demo shop", "inn": "7700000000"}}
ROLES = {
    "expires_at": "2099-01-01T00:00:00Z",
    "roles": [{"name": "Admin", "methods": ["/v1/seller/info", "/v3/product/list"]}],
}


def run_py(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_version_by_script_and_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ozonctl", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("ozonctl ")


HEAVY = (
    "sorted(m for m in sys.modules if m.split('.')[0] == 'httpx'"
    " or m.startswith(('ozonctl.client.client', 'ozonctl.client._base',"
    " 'ozonctl.client.models', 'ozonctl.client.resources', 'rich.table', 'rich.progress'))"
    "{extra})"
)


def imported_after(args: list[str], extra: str = "") -> str:
    code = (
        "import sys\nfrom ozonctl._entry import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', {HEAVY.format(extra=extra)})\n"
    )
    return run_py(code)


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_neither_httpx_nor_the_client_nor_pydantic(args: list[str]) -> None:
    out = imported_after(args, extra=" or m.split('.')[0] == 'pydantic'")
    assert "HEAVY []" in out, out[-800:]


@pytest.mark.parametrize(
    "group",
    ["promo", "listing", "order", "payout", "auth", "config", "api", "sandbox", "sync", "doctor"],
)
def test_group_help_imports_neither_httpx_nor_the_client(group: str) -> None:
    # typer 0.29 itself coerces option values with pydantic's TypeAdapter, so the pydantic
    # library may load here; ozonctl's own models, the client and httpx must not.
    out = imported_after([group, "--help"])
    assert "HEAVY []" in out, out[-800:]


SERVE_EMPTY_RESULTS = """
import http.server, json, sys, threading
hits = []
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('content-length') or 0))
        hits.append(self.path)
        body = json.dumps({'result': [], 'total': 0}).encode()
        self.send_response(200)
        self.send_header('content-type', 'application/json')
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = 'http://127.0.0.1:%d' % srv.server_address[1]
"""


def test_a_command_that_talks_to_ozon_does_no_plugin_lookup() -> None:
    # pydantic scans every distribution's entry points for plugins: ozonctl's console
    # script turns that off (_entry.skip_pydantic_plugins). pydantic's plugin loader
    # module, which imports importlib.metadata, is still loaded once a model validates
    # (promo list reads the promotions through their model): no lookup is made with it.
    code = (
        SERVE_EMPTY_RESULTS
        + "import importlib.metadata as md\nlookups = []\n_ep = md.entry_points\n"
        + "def counted(*a, **k):\n    lookups.append(k.get('group'))\n    return _ep(*a, **k)\n"
        + "md.entry_points = counted\n"
        + "from ozonctl._entry import main\n"
        + "try:\n    main(['--profile', 'sandbox', '--base-url', url, '--json', 'promo', 'list'])\n"
        + "except SystemExit as exc:\n    print('EXIT', exc.code)\n"
        + "print('HITS', len(hits))\n"
        + "print('LOADED', sorted(m for m in sys.modules if m in ('httpx', 'pydantic')))\n"
        + "print('LOOKUPS', [g for g in lookups if g == 'pydantic'])\n"
        # pydantic's documented switch, not an import hook of ozonctl's
        + "import os\nprint('HOOKS', [type(f).__module__ for f in sys.meta_path "
        + "if type(f).__module__.startswith('ozonctl')])\n"
        + "print('SWITCH', os.environ.get('PYDANTIC_DISABLE_PLUGINS'))\n"
    )
    out = run_py(code)
    assert "EXIT 0" in out and "HITS 2" in out, out[-800:]
    assert "LOADED ['httpx', 'pydantic']" in out, out[-800:]
    assert "LOOKUPS []" in out, out[-800:]
    assert "HOOKS []" in out and "SWITCH __all__" in out, out[-800:]


def test_httpx_still_works_and_http_base_urls_skip_the_ca_bundle() -> None:
    import ssl

    from ozonctl.client._base import _tls_verify
    from ozonctl.client._httpx import httpx as imported

    assert imported is httpx and callable(httpx.Client)
    assert _tls_verify("https://api-seller.ozon.ru") is True
    ctx = _tls_verify("http://127.0.0.1:8642")
    assert isinstance(ctx, ssl.SSLContext)
    # never weaker than full verification: certificates and host names are required,
    # and no authority is trusted, so any TLS connection through it fails
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.get_ca_certs() == []


def test_version_does_not_even_import_typer() -> None:
    code = (
        "import sys\nfrom ozonctl._entry import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('TYPER', 'typer' in sys.modules)\n"
    )
    assert "TYPER False" in run_py(code)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["promo", "list", "--json"], ["--json", "promo", "list"]),
        (
            ["listing", "archive", "1", "-y", "--dry-run"],
            ["-y", "--dry-run", "listing", "archive", "1"],
        ),
        (["order", "list", "--profile", "shop"], ["--profile", "shop", "order", "list"]),
        (["--profile", "shop", "order", "list"], ["--profile", "shop", "order", "list"]),
        (
            ["api", "/v1/x", "--base-url=http://127.0.0.1:1"],
            ["--base-url=http://127.0.0.1:1", "api", "/v1/x"],
        ),
        (["api", "/v1/x", "--", "--json"], ["api", "/v1/x", "--", "--json"]),
        (["--json", "payout", "totals"], ["--json", "payout", "totals"]),
    ],
)
def test_global_options_may_come_after_the_command(args: list[str], expected: list[str]) -> None:
    assert hoist_global_options(args) == expected


def test_unknown_command_is_a_usage_error(cli: Any) -> None:
    r = cli("frobnicate")
    assert r.exit_code == 2
    assert "No such command" in r.stderr and r.stdout == ""


def test_bad_option_is_a_usage_error(cli: Any) -> None:
    assert cli("config", "show", "--frob").exit_code == 2


def test_missing_credentials_exit_4_with_a_hint(cli: Any) -> None:
    r = cli("auth", "status")
    assert r.exit_code == 4
    assert "auth login" in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.startswith("error:")]) == 1


def test_plain_http_base_url_is_refused(cli: Any) -> None:
    r = cli("--base-url", "http://api-seller.ozon.ru", "config", "show")
    assert r.exit_code == 2
    assert "clear text" in r.stderr


def test_interrupt_exits_130(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ozonctl.commands import config

    def boom() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(config, "app_context", boom)
    assert cli("config", "show").exit_code == 130


def test_failure_mapping_exit_codes() -> None:
    from ozonctl.cli.failures import describe
    from ozonctl.client import errors as E
    from ozonctl.errors import LockHeldError, PartialFailure

    assert describe(LockHeldError("held"))[1] == 5
    assert describe(PartialFailure("2 failed"))[1] == 3
    assert describe(E.AuthenticationError("bad", path="/x", status=401))[1] == 4
    assert describe(E.PermissionDeniedError("role", path="/x", status=403))[1] == 4
    msg, code = describe(E.WriteOutcomeUnknown("timed out", path="/v2/posting/fbs/cancel"))
    assert code == 1 and "did not send it again" in msg
    msg, _ = describe(E.MethodRetiredError("gone", path="/v1/x", status=410, successor="/v2/x"))
    assert "retires methods" in msg


@respx.mock
def test_auth_login_checks_then_saves_0600(cli: Any, ozonctl_home: Path) -> None:
    route = respx.post(f"{BASE}/v1/seller/info").mock(return_value=httpx.Response(200, json=SELLER))
    respx.post(f"{BASE}/v1/roles").mock(return_value=httpx.Response(200, json=ROLES))
    r = cli(
        "--base-url",
        BASE,
        "--profile",
        "shop",
        "auth",
        "login",
        "--client-id",
        "123",
        "--with-key",
        input=CANARY + "\n",
    )
    assert r.exit_code == 0, r.stderr
    assert route.call_count == 1
    assert route.calls[0].request.headers["Api-Key"] == CANARY
    creds = ozonctl_home / "credentials.toml"
    assert file_mode(creds) == 0o600
    assert CANARY in creds.read_text()
    assert CANARY not in r.stdout + r.stderr
    status = cli("--base-url", BASE, "--profile", "shop", "auth", "status", "--json")
    assert status.exit_code == 0
    data = status.json()
    assert data["works"] is True and data["company"] == "Demo shop"
    assert data["api_key"] != CANARY and CANARY not in status.stdout
    assert cli("--profile", "shop", "auth", "logout").exit_code == 0
    assert CANARY not in creds.read_text()


@respx.mock
def test_auth_login_with_a_refused_key_saves_nothing(cli: Any, ozonctl_home: Path) -> None:
    respx.post(f"{BASE}/v1/seller/info").mock(
        return_value=httpx.Response(403, json={"code": 7, "message": "Invalid Api-Key"})
    )
    r = cli("--base-url", BASE, "auth", "login", "--client-id", "123", "--with-key", input="bad\n")
    assert r.exit_code == 4
    assert "Invalid Api-Key" in r.stderr
    assert not (ozonctl_home / "credentials.toml").exists()


def test_auth_login_never_takes_the_key_as_an_argument(cli: Any) -> None:
    assert cli("auth", "login", "--api-key", "x").exit_code == 2
    r = cli("auth", "login", "--client-id", "1")
    assert r.exit_code == 2 and "--with-key" in r.stderr


@respx.mock
def test_api_read_prints_json(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    route = respx.post(f"{BASE}/v3/product/list").mock(
        return_value=httpx.Response(200, json={"result": {"items": [], "total": 0}})
    )
    r = cli("--base-url", BASE, "api", "/v3/product/list", "--data", '{"filter": {}}')
    assert r.exit_code == 0
    assert json.loads(r.stdout) == {"result": {"items": [], "total": 0}}
    assert json.loads(route.calls[0].request.content) == {"filter": {}}


@respx.mock
@pytest.mark.parametrize("mode", [["--json"], []])
def test_api_paginate_walks_every_page(
    cli: Any, monkeypatch: pytest.MonkeyPatch, mode: list[str]
) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    respx.post(f"{BASE}/v3/product/list").mock(
        side_effect=[
            httpx.Response(200, json={"result": {"items": [{"product_id": 1}], "last_id": "a"}}),
            httpx.Response(200, json={"result": {"items": [{"product_id": 2}], "last_id": "b"}}),
            httpx.Response(200, json={"result": {"items": [], "last_id": ""}}),
        ]
    )
    r = cli("--base-url", BASE, "api", "/v3/product/list", "--paginate", *mode)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == [{"product_id": 1}, {"product_id": 2}]


def test_api_body_sources(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    bad = cli("--base-url", BASE, "api", "/v3/product/list", "--data", "{nope")
    assert bad.exit_code == 2 and "not valid JSON" in bad.stderr
    missing = cli("--base-url", BASE, "api", "/v3/product/list", "--data", "@/no/such/file")
    assert missing.exit_code == 2
    body = tmp_path / "b.json"
    body.write_text('{"product_id": [1]}')
    plan = cli("--base-url", BASE, "--dry-run", "api", "/v1/product/archive", "--data", f"@{body}")
    assert plan.exit_code == 0
    assert json.loads(plan.stdout)["body"] == {"product_id": [1]}
    stdin = cli(
        "--base-url",
        BASE,
        "--dry-run",
        "api",
        "/v1/product/archive",
        "--data",
        "-",
        input='{"product_id": [2]}',
    )
    assert json.loads(stdin.stdout)["body"] == {"product_id": [2]}


def test_a_write_needs_yes_when_it_cannot_ask(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "k")
    r = cli("--base-url", BASE, "api", "/v1/product/archive", "--data", '{"product_id": [1]}')
    assert r.exit_code == 2
    assert "--yes required when not running interactively" in r.stderr


# -- redaction: a canary key pushed through every request kind never reaches any output --

RESPONSES: list[Any] = [
    httpx.Response(200, json={"result": {"items": []}}),
    httpx.Response(400, json={"code": 3, "message": "bad"}, headers={"x-o3-trace-id": "tr"}),
    httpx.Response(401, json={"code": 16, "message": "Invalid Api-Key"}),
    httpx.Response(403, json={"code": 7, "message": "denied"}),
    httpx.Response(410, json={"code": 12, "message": "obsolete method cannot be used"}),
    httpx.Response(429, json={"code": 8, "message": "rate"}, headers={"Retry-After": "999"}),
    httpx.Response(502, text="<html>bad gateway</html>", headers={"content-type": "text/html"}),
    httpx.ReadTimeout("slow"),
    httpx.ConnectError("refused"),
]


@pytest.mark.parametrize(
    "answer", RESPONSES, ids=lambda a: getattr(a, "status_code", None) or type(a).__name__
)
@pytest.mark.parametrize("path", ["/v3/product/list", "/v1/product/archive", "/v9/unknown"])
def test_the_api_key_never_appears_in_any_output(
    cli: Any, monkeypatch: pytest.MonkeyPatch, answer: Any, path: str
) -> None:
    # every answer kind, for a read, a write and an unknown path, with --debug on
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", CANARY)
    monkeypatch.setattr("time.sleep", lambda s: None)
    assert cli("config", "set", "max_retries", "1").exit_code == 0
    with respx.mock:
        roles = {"expires_at": "2099-01-01T00:00:00Z", "roles": [{"name": "A", "methods": [path]}]}
        respx.post(f"{BASE}/v1/roles").mock(return_value=httpx.Response(200, json=roles))
        route = respx.post(f"{BASE}{path}")
        if isinstance(answer, Exception):
            route.mock(side_effect=answer)
        else:
            route.mock(return_value=answer)
        r = cli("--debug", "--yes", "--base-url", BASE, "api", path, "--data", "{}")
        assert route.called
        sent = route.calls[0].request.headers["Api-Key"]
    assert sent == CANARY
    assert CANARY not in r.stdout and CANARY not in r.stderr
    assert "http: POST" in r.stderr  # the debug log did run


def test_importing_the_client_changes_nothing_in_the_process() -> None:
    # issue 17.1: importing ozonctl.client broke httpx.AsyncClient in the same process
    # (anyio blocked while httpx loaded, httpx._main stood in for, httpcore patched)
    code = (
        SERVE_EMPTY_RESULTS
        + "import httpcore._sync.http11 as h11\n"
        + "import ozonctl.client\n"
        + "from ozonctl.client import OzonClient\n"
        + "client = OzonClient(client_id='1', api_key='k', base_url=url, rps=None)\n"
        + "print('SYNC', client.raw('POST', '/v1/x', {}))\n"
        + "client.close()\n"
        + "print('STAND-INS', [m for m, v in sys.modules.items() if v is None])\n"
        + "print('READ_NUM_BYTES', h11.HTTP11Connection.READ_NUM_BYTES)\n"
        + "import asyncio, httpx\n"
        + "async def go():\n"
        + "    async with httpx.AsyncClient() as c:\n"
        + "        return (await c.post(url + '/async', json={})).json()\n"
        + "print('ASYNC', asyncio.run(go()))\n"
        + "import httpx._main\n"
        + "print('CLI', callable(httpx._main.main))\n"
    )
    import_first = "import sys\nimport ozonctl.client._base\n"
    out = run_py(import_first + code)
    assert "SYNC {'result': [], 'total': 0}" in out, out[-800:]
    assert "STAND-INS []" in out and "READ_NUM_BYTES 65536" in out, out[-800:]  # httpcore's
    assert "ASYNC {'result': [], 'total': 0}" in out, out[-800:]
    assert "CLI True" in out, out[-800:]
