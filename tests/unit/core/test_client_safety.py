"""The client's guards: nothing listening on loopback, secrets in errors, credentials no
header can carry, answers too large or too deep, proxies, ``Ratelimit-Remaining``."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ozonctl.client import _constants as C
from ozonctl.client import endpoints
from ozonctl.client._base import BaseClient
from ozonctl.client.errors import (
    APIConnectionError,
    APIError,
    BadCredentialsError,
    BadRequestError,
    WriteOutcomeUnknown,
)
from ozonctl.client.ratelimit import RateLimiter

READ = endpoints.get("product.list")
WRITE = endpoints.get("product.archive")
STOCKS = endpoints.get("product.stocks.update")
KEY = "0f6c9a54-2b1e-4d7a-9c3e-5a8b7d6e4f21"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def mock(handler: Any, base_url: str = "https://api-seller.ozon.ru", **kw: Any) -> BaseClient:
    return BaseClient(
        client_id="1",
        api_key=KEY,
        base_url=base_url,
        rps=None,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
        **kw,
    )


# -- 16.11: a refused connection to loopback ----------------------------------------------


def test_a_refused_loopback_connection_is_not_retried_and_says_to_start_the_sandbox() -> None:
    client = BaseClient(client_id="1", api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as info:
        client.call(READ, {})
    assert time.monotonic() - started < 2  # no backoff: 0.5 + 1 + 2 + 4 s before
    assert client.stats["requests"] == 1
    assert "ozonctl sandbox serve" in info.value.hint
    assert info.value.sent is False


def test_the_cli_says_it_in_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", KEY)
    r = cli("--base-url", f"http://127.0.0.1:{free_port()}", "promo", "list")
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "`ozonctl sandbox serve`" in lines[0], r.stderr


# -- 23.15: secrets in errors -------------------------------------------------------------


def test_a_key_ozon_echoes_back_is_redacted_from_the_error() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        key = request.headers["Api-Key"]
        return httpx.Response(
            400,
            json={
                "code": 3,
                "message": f"invalid Api-Key {key}",
                "details": [{"typeUrl": "", "value": f"key={key}"}],
            },
        )

    with pytest.raises(BadRequestError) as info:
        mock(echo).call(READ, {})
    err = info.value
    everything = f"{err} {err.message} {err.details} {err.body}"
    assert KEY not in everything
    assert "***" in err.message


def test_the_password_in_a_base_url_is_in_no_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    url = "https://seller:s3cret-pw@api-seller.ozon.ru"
    client = mock(refuse, base_url=url, max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        client.call(READ, {})
    assert "s3cret-pw" not in str(info.value)
    assert "seller:***@api-seller.ozon.ru" in str(info.value)
    assert "s3cret-pw" not in client.shown_url


def test_an_unsafe_base_url_error_shows_no_password() -> None:
    from ozonctl.client.urls import UnsafeBaseURLError

    with pytest.raises(UnsafeBaseURLError) as info:
        BaseClient(client_id="1", api_key=KEY, base_url="http://u:s3cret-pw@10.0.0.1")
    assert "s3cret-pw" not in str(info.value)


# -- 23.12: credentials no header can carry ------------------------------------------------


@pytest.mark.parametrize("key", ["ключ-0f6c9a54", "0f6c9a54\n", "0f6c\x009a54"])
def test_a_key_no_header_can_carry_is_refused_before_sending(key: str) -> None:
    with pytest.raises(BadCredentialsError) as info:
        BaseClient(client_id="1", api_key=key, base_url="https://api-seller.ozon.ru")
    assert key not in str(info.value)


def test_a_non_ascii_key_is_one_line_and_exit_4(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OZON_CLIENT_ID", "1")
    monkeypatch.setenv("OZON_API_KEY", "ключ-0f6c9a54-2b1e")
    r = cli("--base-url", "http://127.0.0.1:9", "promo", "list")
    assert r.exit_code == 4, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "auth login" in lines[0], r.stderr
    assert "Traceback" not in r.stderr and "ключ" not in r.stderr


# -- 23.13: answers too large or too deep --------------------------------------------------


def test_an_answer_past_the_cap_is_refused_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(C, "MAX_RESPONSE_BYTES", 1000)
    calls: list[int] = []

    def big(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, content=b'{"result": "' + b"x" * 5000 + b'"}')

    with pytest.raises(APIError, match="larger than") as info:
        mock(big).call(READ, {})
    assert not isinstance(info.value, WriteOutcomeUnknown)
    assert calls == [1]  # not asked again for the same
    with pytest.raises(WriteOutcomeUnknown, match="larger than"):
        mock(big).call(WRITE, {"product_id": [1]})


@pytest.mark.parametrize("ep", [READ, WRITE], ids=["read", "write"])
def test_a_deeply_nested_answer_is_one_error_not_a_recursion_error(
    ep: endpoints.Endpoint,
) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    for status in (200, 400):
        client = mock(lambda r, s=status: httpx.Response(s, content=deep), max_retries=0)
        with pytest.raises(APIError) as info:
            client.call(ep, {})
        if status == 200:
            assert "nested too deeply" in str(info.value)


def test_the_cap_is_generous() -> None:
    assert C.MAX_RESPONSE_BYTES >= 32 << 20  # a page of 1,000 product cards is ~2 MB


# -- 23.14: proxies ------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records the first bytes of every connection; answers an empty JSON object."""

    seen: list[bytes]

    def handle_one_request(self) -> None:
        line = self.rfile.readline(65537)
        if not line:
            self.close_connection = True
            return
        head = [line]
        while (h := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            head.append(h)
        self.seen.append(b"".join(head))
        size = next(
            (int(h.split(b":")[1]) for h in head if h.lower().startswith(b"content-length")), 0
        )
        self.rfile.read(size)
        if line.startswith(b"CONNECT"):  # a proxy that refuses every tunnel
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        else:
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
            )
        self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


def serve() -> tuple[http.server.ThreadingHTTPServer, list[bytes]]:
    seen: list[bytes] = []
    handler = type("H", (Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture
def servers() -> Iterator[tuple[str, list[bytes], str, list[bytes]]]:
    target, target_seen = serve()
    proxy, proxy_seen = serve()
    try:
        yield (
            f"http://127.0.0.1:{target.server_address[1]}",
            target_seen,
            f"http://127.0.0.1:{proxy.server_address[1]}",
            proxy_seen,
        )
    finally:
        for s in (target, proxy):
            s.shutdown()
            s.server_close()


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_proxy_variables_are_ignored_for_a_plain_http_loopback_url(
    servers: tuple[str, list[bytes], str, list[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    target, target_seen, proxy, proxy_seen = servers
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, proxy)
    with BaseClient(client_id="1", api_key=KEY, base_url=target, rps=None) as client:
        assert client.call(READ, {}) == {}
    assert proxy_seen == []
    assert len(target_seen) == 1 and KEY.encode() in target_seen[0]


def test_an_https_url_goes_through_a_proxy_only_inside_a_tls_tunnel(
    servers: tuple[str, list[bytes], str, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, proxy, proxy_seen = servers
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    client = BaseClient(
        client_id="1", api_key=KEY, base_url="https://api-seller.ozon.ru", rps=None, max_retries=0
    )
    with client, pytest.raises(APIError):
        client.call(READ, {})  # the tunnel is refused
    assert proxy_seen and all(
        seen.startswith(b"CONNECT api-seller.ozon.ru:443") for seen in proxy_seen
    )
    assert all(KEY.encode() not in seen for seen in proxy_seen)


# -- 16.13: Ratelimit-Remaining -------------------------------------------------------------


def test_ratelimit_remaining_0_makes_the_next_call_wait_instead_of_earning_a_429() -> None:
    waits: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"result": []}, headers={"Ratelimit-Remaining": "0"})

    client = mock(answer)
    # the stock update's own limit, 80 a minute, lets a minute's worth go at once
    client.limiter = RateLimiter(
        "1", None, burst=1, per_minute={STOCKS.path: 80}, sleep=waits.append
    )
    client.call(STOCKS, {"stocks": []})
    assert waits == []
    client.call(STOCKS, {"stocks": []})  # Ozon said none is left: wait one token (60/80 s)
    assert len(waits) == 1 and 0.7 < waits[0] <= 0.75


def test_ratelimit_remaining_caps_the_burst() -> None:
    waits: list[float] = []
    left = iter(["2", "1", "0", "0"])

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={}, headers={"Ratelimit-Remaining": next(left)})

    client = mock(answer)
    client.limiter = RateLimiter(
        "1", None, burst=1, per_minute={STOCKS.path: 80}, sleep=waits.append
    )
    for _ in range(4):
        client.call(STOCKS, {"stocks": []})
    assert len(waits) == 1  # calls 1-3 within what Ozon allowed, the 4th waits


def test_without_the_header_a_minutes_worth_goes_at_once() -> None:
    waits: list[float] = []
    client = mock(lambda r: httpx.Response(200, json={}))
    client.limiter = RateLimiter(
        "1", None, burst=1, per_minute={STOCKS.path: 80}, sleep=waits.append
    )
    for _ in range(5):
        client.call(STOCKS, {"stocks": []})
    assert waits == []
