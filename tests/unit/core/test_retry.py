"""The retry table: which status and which error is retried, for reads and for writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ozonctl.client import endpoints
from ozonctl.client._base import BaseClient
from ozonctl.client._retry import backoff_delay, parse_retry_after
from ozonctl.client.errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    MethodRetiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ServerError,
    WriteOutcomeUnknown,
)

OZON = "https://api-seller.ozon.ru"
READ = endpoints.get("product.list")
WRITE = endpoints.get("product.archive")


class Script:
    """A MockTransport handler answering from a list of responses/exceptions in order."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step


def make(
    script: Script,
    sleeps: list[float] | None = None,
    base_url: str = "http://127.0.0.1:9",
    **kw: Any,
) -> BaseClient:
    return BaseClient(
        client_id="1",
        api_key="k",
        base_url=base_url,
        rps=None,
        transport=httpx.MockTransport(script),
        sleep=(sleeps.append if sleeps is not None else (lambda s: None)),
        **kw,
    )


def ok(body: Any = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"result": True})


def err(status: int, body: Any = None, **kw: Any) -> httpx.Response:
    if body is None:
        return httpx.Response(status, **kw)
    return httpx.Response(status, json=body, **kw)


RATE = {"code": 8, "message": "You have reached request rate limit per second", "details": []}


@pytest.mark.parametrize("ep", [READ, WRITE], ids=["read", "write"])
def test_429_is_retried_for_reads_and_writes(ep: endpoints.Endpoint) -> None:
    script = Script(err(429, RATE), err(429, RATE), ok())
    client = make(script)
    assert client.call(ep, {"x": 1}) == {"result": True}
    assert len(script.calls) == 3
    assert client.stats["rate_limited"] == 2


def test_body_code_8_is_a_rate_limit_for_a_read_whatever_the_status() -> None:
    script = Script(err(400, RATE), ok())
    assert make(script).call(READ, {}) == {"result": True}
    assert len(script.calls) == 2


def test_a_write_is_resent_on_a_429_only() -> None:
    script = Script(err(400, RATE), ok())
    with pytest.raises(RateLimitError):
        make(script).call(WRITE, {})
    assert len(script.calls) == 1


def test_retry_after_is_honoured() -> None:
    sleeps: list[float] = []
    script = Script(err(429, RATE, headers={"Retry-After": "3"}), ok())
    make(script, sleeps).call(READ, {})
    assert sleeps == [3.0]


def test_429_on_a_per_minute_method_waits_out_its_window_and_stops_bursting() -> None:
    sleeps: list[float] = []
    script = Script(err(429, RATE), err(429, RATE), ok({"result": []}))
    client = make(script, sleeps, per_minute={"/v2/products/stocks": 80})
    bucket = client.limiter.method_buckets["/v2/products/stocks"]
    assert bucket.capacity == 80
    client.call(endpoints.get("product.stocks.update"), {"stocks": []})
    assert len(script.calls) == 3  # a 429 was not applied: resending is safe
    assert [round(s, 2) for s in sleeps if s >= 1] == [6.0, 12.0]  # 8 and 16 tokens' time
    assert bucket.capacity == 1


def test_retry_after_above_the_cap_ends_the_retries() -> None:
    script = Script(err(429, RATE, headers={"Retry-After": "3600"}), ok())
    with pytest.raises(RateLimitError) as info:
        make(script).call(READ, {})
    assert info.value.retry_after == 3600
    assert len(script.calls) == 1


def test_rate_limit_gives_up_after_max_retries() -> None:
    script = Script(err(429, RATE))
    with pytest.raises(RateLimitError):
        make(script, max_retries=2).call(WRITE, {})
    assert len(script.calls) == 3


@pytest.mark.parametrize("ep", [READ, WRITE], ids=["read", "write"])
def test_connect_errors_are_retried_for_any_call(ep: endpoints.Endpoint) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), ok())
    assert make(script, base_url=OZON).call(ep, {}) == {"result": True}
    assert len(script.calls) == 3


def test_connect_errors_end_in_a_connection_error_marked_not_sent() -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        make(script, base_url=OZON, max_retries=1).call(WRITE, {})
    assert info.value.sent is False
    assert len(script.calls) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried_for_reads(status: int) -> None:
    script = Script(err(status, text="<html>bad gateway</html>"), ok())
    assert make(script).call(READ, {}) == {"result": True}
    assert len(script.calls) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_a_write_is_never_retried(status: int) -> None:
    script = Script(err(status, {"code": 13, "message": "Internal error"}), ok())
    with pytest.raises(WriteOutcomeUnknown) as info:
        make(script).call(WRITE, {"product_id": [1]})
    assert len(script.calls) == 1
    assert "may or may not" in str(info.value)


def test_read_timeout_is_retried_for_reads() -> None:
    script = Script(httpx.ReadTimeout("slow"), ok())
    assert make(script).call(READ, {}) == {"result": True}
    assert len(script.calls) == 2


@pytest.mark.parametrize(
    "exc", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")], ids=str
)
def test_timeout_or_drop_after_sending_a_write_is_unknown_not_retried(exc: Exception) -> None:
    script = Script(exc, ok())
    with pytest.raises(WriteOutcomeUnknown):
        make(script).call(WRITE, {"product_id": [1]})
    assert len(script.calls) == 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ],
)
@pytest.mark.parametrize("ep", [READ, WRITE], ids=["read", "write"])
def test_other_4xx_are_raised_at_once(
    status: int, cls: type[Exception], ep: endpoints.Endpoint
) -> None:
    script = Script(
        err(
            status, {"code": 3, "message": "nope", "details": []}, headers={"x-o3-trace-id": "t-1"}
        ),
        ok(),
    )
    with pytest.raises(cls) as info:
        make(script).call(ep, {})
    assert len(script.calls) == 1
    assert info.value.trace_id == "t-1"  # type: ignore[attr-defined]
    assert info.value.code == 3  # type: ignore[attr-defined]


def test_410_names_the_method_retired() -> None:
    script = Script(err(410, {"code": 12, "message": "obsolete method cannot be used"}))
    client = make(script)
    with pytest.raises(MethodRetiredError) as info:
        client.raw("POST", "/v3/posting/fbs/list", {})
    assert info.value.successor == "/v4/posting/fbs/list"
    assert "switched this method off" in info.value.message


def test_404_on_a_retired_path_is_reported_as_retired() -> None:
    script = Script(err(404, text=""))
    with pytest.raises(MethodRetiredError):
        make(script).raw("POST", "/v1/actions/products/deactivate", {})


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            httpx.Response(
                502,
                text="<html><body>Bad Gateway</body></html>",
                headers={"content-type": "text/html"},
            ),
            "HTML error page",
        ),
        (httpx.Response(503, text=""), "empty response body"),
        (httpx.Response(500, text="upstream exploded"), "upstream exploded"),
    ],
)
def test_non_json_error_bodies_get_a_clear_message(response: httpx.Response, expected: str) -> None:
    with pytest.raises(ServerError) as info:
        make(Script(response), max_retries=0).call(READ, {})
    assert expected in info.value.message


def test_legacy_error_shape_is_understood() -> None:
    body = {"error": {"code": "NOT_FOUND_ERROR", "message": "not found", "data": []}}
    with pytest.raises(NotFoundError) as info:
        make(Script(err(404, body))).call(READ, {})
    assert info.value.code == "NOT_FOUND_ERROR"


def test_unknown_path_is_treated_as_a_write() -> None:
    script = Script(err(500, text="x"))
    with pytest.raises(WriteOutcomeUnknown):
        make(script).raw("POST", "/v9/something/new", {})
    assert len(script.calls) == 1


def test_non_json_200_is_an_error_not_a_crash() -> None:
    with pytest.raises(Exception, match="not JSON"):
        make(Script(httpx.Response(200, text="<html>captive portal</html>"))).call(READ, {})


def test_empty_200_is_an_empty_result() -> None:
    assert make(Script(httpx.Response(200, text=""))).call(WRITE, {}) == {}


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:05 GMT"}, 5.0),
        ({}, None),
        ({"retry-after": "soon"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    import email.utils

    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:28:00 GMT").timestamp()
    assert parse_retry_after(headers, now=now) == seconds


def test_backoff_grows_and_is_capped() -> None:
    top: Callable[[], float] = lambda: 0.0  # noqa: E731
    assert [backoff_delay(n, top) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert backoff_delay(3, lambda: 1.0) == 3.0


def test_headers_carry_credentials_and_the_body_is_json() -> None:
    script = Script(ok())
    make(script).call(WRITE, {"product_id": [1, 2]})
    req = script.calls[0]
    assert req.headers["Client-Id"] == "1"
    assert req.headers["Api-Key"] == "k"
    assert req.url.path == "/v1/product/archive"
    assert req.content == b'{"product_id": [1, 2]}'


def test_get_endpoint_sends_no_body() -> None:
    script = Script(ok({"result": []}))
    make(script).call(endpoints.get("actions.list"))
    assert script.calls[0].method == "GET"
    assert script.calls[0].content == b""


@pytest.mark.parametrize(
    "url", ["http://api-seller.ozon.ru", "ftp://127.0.0.1", "api-seller.ozon.ru", "http://10.0.0.1"]
)
def test_unsafe_base_urls_are_refused(url: str) -> None:
    from ozonctl.client.urls import UnsafeBaseURLError

    with pytest.raises(UnsafeBaseURLError):
        BaseClient(client_id="1", api_key="k", base_url=url)


@pytest.mark.parametrize(
    "url",
    ["https://api-seller.ozon.ru", "http://127.0.0.1:8642", "http://localhost:1", "http://[::1]:5"],
)
def test_safe_base_urls_are_accepted(url: str) -> None:
    BaseClient(client_id="1", api_key="k", base_url=url).close()


def test_a_read_response_is_freed_without_the_cycle_collector() -> None:
    # httpx leaves a cycle between a response and its stream; ozonctl breaks it, so a
    # page's body goes when the page is parsed, not at the next collection (a
    # 100,000-product listing peaked at 250 MB with rare collections)
    import gc

    client = make(Script(*(ok({"result": {"items": []}}) for _ in range(3))))
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            client.call(READ, {})
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, httpx.Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_no_cookie_is_kept_or_sent_back_and_urls_join_as_httpx_joins_them() -> None:
    script = Script(ok({"result": []}))
    script.steps[0].headers["set-cookie"] = "lb=node-7; Path=/"
    client = make(script, base_url="http://127.0.0.1:9/proxy/")
    client.call(READ, {})
    client.call(READ, {})
    assert [r.headers.get("cookie") for r in script.calls] == [None, None]
    assert not client._http.cookies
    # a base URL with a path keeps it, as httpx's own join does
    assert [str(r.url) for r in script.calls] == [f"http://127.0.0.1:9/proxy{READ.path}"] * 2
    plain = httpx.Client(base_url="http://127.0.0.1:9/proxy/")
    assert str(plain.build_request("POST", READ.path).url) == str(script.calls[0].url)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_write_is_never_resent_on_a_5xx_even_with_ozons_rate_limit_code(status: int) -> None:
    # issue 23.6: a 5xx carrying code 8 made an archive go out 5 times
    script = Script(err(status, RATE), ok())
    with pytest.raises(WriteOutcomeUnknown):
        make(script).call(WRITE, {"product_id": [1]})
    assert len(script.calls) == 1


@pytest.mark.parametrize("status", [300, 301, 302, 303, 304, 307, 308, 399])
@pytest.mark.parametrize("ep", [READ, WRITE], ids=["read", "write"])
def test_a_redirect_is_an_error_naming_it_not_a_good_answer(
    status: int, ep: endpoints.Endpoint
) -> None:
    # issue 23.2: doctor said the keys work, sync emptied the index
    script = Script(
        httpx.Response(
            status,
            json={"result": {"items": []}},
            headers={"Location": "https://elsewhere.example/x"},
        )
    )
    with pytest.raises(RedirectError) as info:
        make(script).call(ep, {})
    assert len(script.calls) == 1
    assert info.value.status == status
    assert "https://elsewhere.example/x" in str(info.value)
    assert "redirect" in str(info.value)
